"""`tutor grade-class`: a good, a wrong, a syntax-error and a hanging submission give four correct rows.

The class is graded the real way, one `tutor grade` subprocess per workspace, against the fake
course (`python -m tests.fake_course grade`). A stand-in for `tutor grade` (FAKE_CHILD) shows
what the parent trusts: only a report file in its private folder, from a child that exited the
documented way. Also: the GitHub Actions workflow `tutor init` writes, the Gradescope bundle (its
run_autograder run against a Gradescope folder simulated in a temporary directory), and one
end-to-end `tutor grade` on the real course in a real subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from tests.conftest import requires_sandbox
from tests.fake_course import SOLUTIONS, fake_course
from tests.test_grading import GOLDEN, HERE, grade, make_workspace
from tutor.checking.isolation import Isolation
from tutor.grading.classgrade import RowStatus, grade_class, gradebook_csv, submissions, summarize

ROOT = Path(__file__).resolve().parent.parent
FAKE_GRADE = [sys.executable, "-m", "tests.fake_course", "grade"]
ALL = [e.id for e in fake_course().exercises]
SUBMISSION_TIMEOUT = 20.0

# Starts a sleeping child whose command line carries a marker (the sandbox hides the grader's files,
# so the marker in /proc is how the test sees it), then hangs itself.
HANGING = """\
import subprocess, sys
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)", {marker!r}])
def {name}(x):
    pass
while True:
    pass
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _marked(marker: str) -> set[int]:
    """Live processes of this machine whose command line contains `marker`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes() and _alive(int(entry.name)):
                    found.add(int(entry.name))
            except OSError:
                continue
    return found


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    base = tmp_path_factory.mktemp("class")
    marker = f"tutor-class-test-hanging-{uuid.uuid4().hex}"
    make_workspace(base / "subs" / "good", solved=ALL, student="good01")
    make_workspace(base / "subs" / "wrong", solved=ALL, wrong=("double", "add", "relu"), student="wrong02")
    make_workspace(
        base / "subs" / "syntax",
        solved=ALL,
        sources={"double": "def double(x)\n    return 2 * x\n"},
        student="syntax03",
    )
    # Every exercise hangs, so `tutor grade` would need 7 × 10 s: only the submission limit stops it.
    hanging = {exercise_id: HANGING.format(marker=marker, name=exercise_id) for exercise_id in ALL}
    make_workspace(base / "subs" / "hanging", sources=hanging, student="hang04")
    found = submissions([base / "subs"])
    seen: set[int] = set()  # the marked processes, as a watcher saw them while grading went on
    grading = threading.Event()

    def watch() -> None:
        while not grading.is_set():
            seen.update(_marked(marker))
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.perf_counter()
    rows = grade_class(
        found,
        jobs=2,
        timeout=SUBMISSION_TIMEOUT,
        reports_dir=base / "reports",
        command=FAKE_GRADE,
        isolation=HERE,
    )
    seconds = time.perf_counter() - started
    grading.set()
    watcher.join()
    return base, found, rows, seconds, (marker, seen)


def test_grade_class_finishes_with_four_correct_rows(graded_class) -> None:
    base, found, rows, seconds, _ = graded_class
    assert [p.name for p in found] == ["good", "hanging", "syntax", "wrong"]
    by_student = {row.student: row for row in rows}
    good, hanging, syntax, wrong = (by_student[s] for s in ("good01", "hang04", "syntax03", "wrong02"))
    assert good.status == RowStatus.GRADED and good.total == 30 and set(good.points.values()) != {0}
    assert wrong.status == RowStatus.GRADED and wrong.total == 30 - 4 - 1.5 - 5
    assert wrong.points["double"] == 0 and wrong.points["add"] == 4.5 and wrong.points["relu"] == 0
    assert syntax.status == RowStatus.GRADED and syntax.total == 26 and syntax.points["double"] == 0
    assert hanging.status == RowStatus.TIMEOUT and hanging.total is None and not hanging.points
    assert seconds < 4 * SUBMISSION_TIMEOUT  # the hanging one did not hold up the rest

    gradebook = list(csv.DictReader(io.StringIO(gradebook_csv(rows, fake_course()))))
    assert [r["student"] for r in gradebook] == ["good01", "hang04", "syntax03", "wrong02"]
    assert [r["total"] for r in gradebook] == ["30", "", "26", "19.5"]  # not graded: no total, not 0
    assert [r["status"] for r in gradebook] == ["graded", "timeout", "graded", "graded"]
    assert (
        gradebook[3]["add"] == "4.5"
        and gradebook[1]["add"] == ""
        and gradebook[0]["directory"].endswith("good")
    )


def test_every_graded_student_has_a_json_report(graded_class) -> None:
    base, _, rows, _, _ = graded_class
    for row in rows:
        if row.status == RowStatus.GRADED:
            report = json.loads(Path(row.report_file).read_text())
            assert report["student"] == row.student and report["points"] == row.total
    assert sorted(p.name for p in (base / "reports").iterdir()) == [
        "good01.json",
        "syntax03.json",
        "wrong02.json",
    ]


def test_a_stopped_submission_leaves_no_worker_behind(graded_class) -> None:
    *_, (marker, seen) = graded_class
    assert seen, "the hanging submission never ran"
    deadline = time.monotonic() + 5
    while _marked(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _marked(marker), f"left behind: {_marked(marker)}"


def test_summary_counts_and_most_failed(graded_class) -> None:
    _, _, rows, seconds, _ = graded_class
    summary = summarize(rows, fake_course(), seconds)
    assert (summary.submissions, summary.graded, summary.errors) == (4, 3, 1)
    assert sorted(summary.totals) == [19.5, 26, 30]
    assert dict(summary.histogram)["60–80%"] == 1 and dict(summary.histogram)["80–100%"] == 2
    assert summary.most_failed[0] == ("double", 2)
    assert summary.problems[0][1] == RowStatus.TIMEOUT


def test_a_folder_that_is_not_a_workspace_gets_an_error_row(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (rows,) = [grade_class([tmp_path / "empty"], command=FAKE_GRADE)]
    assert rows[0].status == RowStatus.NOT_A_WORKSPACE


def _sneaky(workspace: Path) -> dict[str, str]:
    """add.py rewrites double.py (graded before it) when it is imported."""
    sneaky = (
        "from pathlib import Path\n"
        "try:\n"
        f"    Path({str(workspace / 'exercises' / 'double.py')!r}).write_text('# something else')\n"
        "except OSError:\n"
        "    pass\n"
        "def add(x, y):\n    return x + y\n"
    )
    return {"add": sneaky}


def test_a_report_that_does_not_match_the_files_is_rejected(tmp_path: Path) -> None:
    """Without the sandbox, a submission that rewrites an already graded file while being graded is
    flagged, not trusted."""
    make_workspace(tmp_path / "ws", solved=("double",), sources=_sneaky(tmp_path / "ws"))
    (row,) = grade_class(
        [tmp_path / "ws"], command=FAKE_GRADE, timeout=SUBMISSION_TIMEOUT, isolation=Isolation.NONE
    )
    assert row.status == RowStatus.REJECTED and "double.py" in row.message and row.total is None
    assert "# something else" in (tmp_path / "ws" / "exercises" / "double.py").read_text()


@requires_sandbox
def test_in_the_sandbox_a_submission_cannot_rewrite_its_files(tmp_path: Path) -> None:
    make_workspace(tmp_path / "ws", solved=("double",), sources=_sneaky(tmp_path / "ws"))
    (row,) = grade_class([tmp_path / "ws"], command=FAKE_GRADE, timeout=SUBMISSION_TIMEOUT)
    assert row.status == RowStatus.GRADED and row.points["double"] == 4 and row.points["add"] == 6
    assert (tmp_path / "ws" / "exercises" / "double.py").read_text() == (SOLUTIONS / "double.py").read_text()


# -- what the parent trusts: a stand-in for `tutor grade` -------------------------------------------------

FAKE_CHILD = """\
import json, os, signal, sys
from pathlib import Path

plan = json.loads(Path(sys.argv[1]).read_text())
args = sys.argv[2:]
output = Path(args[args.index("--output") + 1])
Path(plan["log"]).write_text(json.dumps({"args": args, "cwd": os.getcwd(),
    "modes": [output.parent.stat().st_mode & 0o777, output.parent.parent.stat().st_mode & 0o777]}))
report = json.loads(Path(plan["report"]).read_text()) | plan["changes"]
for exercise in report["exercises"]:
    exercise.update(plan["exercise_changes"].get(exercise["id"], {}))
if plan["write"]:
    output.write_text(json.dumps(report))
print(json.dumps(report | {"points": 999.0}))  # a forged report on stdout: never read
sys.stdout.flush()
if plan["exit"] == "SIGKILL":
    os.kill(os.getpid(), signal.SIGKILL)
sys.exit(plan["exit"])
"""


@pytest.fixture(scope="module")
def one_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A workspace (double solved: 4 points) and its real report, as a JSON file."""
    base = tmp_path_factory.mktemp("child")
    workspace = make_workspace(base / "ws", solved=("double",), student="kid01")
    report = grade(workspace).to_dict()
    (base / "report.json").write_text(json.dumps(report))
    (base / "child.py").write_text(FAKE_CHILD)
    return base, workspace.root


def _graded_by_stand_in(one_report, tmp_path: Path, isolation: Isolation = HERE, **plan: object):  # noqa: ANN001, ANN202
    base, workspace = one_report
    steps = {"write": True, "exit": 0, "changes": {}, "exercise_changes": {}} | plan
    steps |= {"report": str(base / "report.json"), "log": str(tmp_path / "child-log.json")}
    (tmp_path / "plan.json").write_text(json.dumps(steps))
    command = [sys.executable, str(base / "child.py"), str(tmp_path / "plan.json")]
    (row,) = grade_class([workspace], command=command, timeout=SUBMISSION_TIMEOUT, isolation=isolation)
    return row, json.loads((tmp_path / "child-log.json").read_text())


def test_the_stand_in_is_trusted_when_it_behaves(one_report, tmp_path: Path) -> None:
    row, log = _graded_by_stand_in(one_report, tmp_path)
    assert row.status == RowStatus.GRADED and row.total == 4 and row.points["double"] == 4  # not 999
    output = Path(log["args"][log["args"].index("--output") + 1])
    assert log["modes"] == [0o700, 0o700]  # the report's folder and the batch's: private
    assert Path(log["cwd"]) == one_report[1] and one_report[1] not in output.parents
    assert not output.parent.exists()  # cleaned up after the row was made
    assert ("--no-sandbox" in log["args"]) is (HERE is Isolation.NONE)
    if HERE is Isolation.SANDBOX:  # replayed examples are shared only where graded code cannot write
        cache = Path(log["args"][log["args"].index("--replay-cache") + 1])
        assert output.parent.parent == cache.parent and not cache.parent.exists()
    else:
        assert "--replay-cache" not in log["args"]


@pytest.mark.parametrize(
    "plan, says",
    [
        ({"exit": 1}, "exited with code 1"),
        ({"exit": "SIGKILL"}, "killed by signal SIGKILL"),
        ({"write": False}, "no usable report"),  # only a (forged) report on stdout
        ({"exit": 3}, "says grading completed"),  # 3 is for a report where the grader failed
        ({"changes": {"status": "error"}}, "says grading error"),  # and 0 is for one where it did not
        ({"exit": 2, "write": False}, "exited with code 2"),
        ({"exit": 1, "changes": {"status": "error"}}, "exited with code 1"),  # neither 0 nor 3
    ],
)
def test_a_child_that_does_not_end_the_documented_way_is_an_error_row(
    one_report, tmp_path: Path, plan: dict, says: str
) -> None:
    row, _ = _graded_by_stand_in(one_report, tmp_path, **plan)
    assert row.status == RowStatus.ERROR and says in row.message, row.message
    assert row.total is None and not row.points
    (line,) = csv.DictReader(io.StringIO(gradebook_csv([row], fake_course())))
    assert line["total"] == "" and line["double"] == "" and line["status"] == "error"


def test_a_report_that_ran_the_code_another_way_than_asked_is_an_error_row(
    one_report, tmp_path: Path
) -> None:
    other = "none" if HERE is Isolation.SANDBOX else "sandbox"
    row, _ = _graded_by_stand_in(one_report, tmp_path, changes={"isolation": other})
    assert row.status == RowStatus.ERROR and "isolation" in row.message and row.total is None


def test_exit_3_with_a_report_that_says_the_grader_failed_is_a_grader_error_row(
    one_report, tmp_path: Path
) -> None:
    row, _ = _graded_by_stand_in(
        one_report,
        tmp_path,
        exit=3,
        changes={"status": "error"},
        exercise_changes={"add": {"status": "grader_error"}},
    )
    assert row.status == RowStatus.GRADER_ERROR and row.total == 4


def test_no_sandbox_is_passed_on_to_every_tutor_grade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the sandbox turned off, `tutor grade` only grades when grade-class passes --no-sandbox on."""
    monkeypatch.setenv("TUTOR_BWRAP", "")  # the children's sandbox is off
    make_workspace(tmp_path / "ws", solved=("double",), student="kid01")
    (plain,) = grade_class(
        [tmp_path / "ws"],
        command=FAKE_GRADE,
        timeout=SUBMISSION_TIMEOUT,
        reports_dir=tmp_path / "reports",
        isolation=Isolation.NONE,
    )
    assert plain.status == RowStatus.GRADED and plain.total == 4
    assert json.loads((tmp_path / "reports" / "kid01.json").read_text())["isolation"] == "none"
    (refused,) = grade_class([tmp_path / "ws"], command=FAKE_GRADE, timeout=SUBMISSION_TIMEOUT)
    assert refused.status == RowStatus.ERROR and "code 2" in refused.message
    assert "sandbox" in refused.message and refused.total is None


# -- the real course, the way an instructor and GitHub run it ----------------------------------------


@pytest.mark.parametrize("no_sandbox", [False, True])
def test_grade_class_command_on_the_real_course(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_sandbox: bool
) -> None:
    from tutor.cli import cli

    if not no_sandbox and HERE is not Isolation.SANDBOX:
        pytest.skip("no sandbox here")
    runner = CliRunner()
    for name in ("a", "b"):
        assert runner.invoke(cli, ["init", str(tmp_path / "class" / name), "--student", name]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    if no_sandbox:
        monkeypatch.setenv("TUTOR_BWRAP", "")  # the children have no sandbox: only the flag lets them grade
    flags = ["--no-sandbox"] if no_sandbox else []
    done = runner.invoke(
        cli, ["grade-class", "class", "--jobs", "2", "--output", "book.csv", *flags], env={"COLUMNS": "120"}
    )
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader((tmp_path / "book.csv").open()))
    assert [(r["student"], r["status"], r["total"]) for r in rows] == [
        ("a", "graded", "0"),
        ("b", "graded", "0"),
    ]
    assert sorted(p.name for p in (tmp_path / "book-reports").iterdir()) == ["a.json", "b.json"]
    report = json.loads((tmp_path / "book-reports" / "a.json").read_text())
    assert report["isolation"] == ("none" if no_sandbox else "sandbox")
    assert "Graded 2 of 2 submissions" in done.output


def test_tutor_grade_end_to_end_in_a_subprocess(tmp_path: Path) -> None:
    """Real course, real CLI: corr2d solved, graded for Gradescope, valid against the schema."""
    tutor = [sys.executable, "-m", "tutor"]
    subprocess.run([*tutor, "init", "ws", "--student", "s1"], cwd=tmp_path, check=True, capture_output=True)
    workspace = tmp_path / "ws"
    shutil.copyfile(ROOT / "solutions" / "corr2d.py", workspace / "exercises" / "corr2d.py")
    done = subprocess.run(
        [*tutor, "grade", "--format", "gradescope"],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    schema = json.loads((GOLDEN / "gradescope_results.schema.json").read_text())
    jsonschema.validate(results, schema, cls=jsonschema.Draft7Validator)
    corr2d = next(t for t in results["tests"] if t["name"].startswith("corr2d:"))
    assert corr2d["score"] == corr2d["max_score"] == 10 and results["score"] == 10
    assert results["extra_data"]["cnn_tutor"]["student"] == "s1"
    (tmp_path / "results.json").write_text(done.stdout)
    verified = subprocess.run(
        [*tutor, "grade", "--verify", str(tmp_path / "results.json")],
        cwd=workspace,
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_init_writes_the_grading_workflow_with_the_tutor_source(tmp_path: Path) -> None:
    from tutor.grading.templates import torch_version
    from tutor.workspace import find_workspace, init_workspace

    source = "git+https://github.com/example-org/cnn-tutor@0123456789abcdef0123456789abcdef01234567"
    init_workspace(tmp_path / "ws", fake_course(), "s1", tutor_source=source)
    workflow = (tmp_path / "ws" / ".github" / "workflows" / "grade.yml").read_text()
    assert f'TUTOR_SOURCE: "{source}"' in workflow and f'TORCH_VERSION: "{torch_version()}"' in workflow
    assert "cnn-tutor==" not in workflow and "classroom" not in workflow.lower()
    assert "GITHUB_STEP_SUMMARY" in workflow and "@" + "TUTOR_VERSION@" not in workflow
    assert find_workspace(tmp_path / "ws").tutor_source == source  # recorded in tutor.toml


def test_gradescope_bundle_carries_the_tutors_own_wheel(tmp_path: Path) -> None:
    from tutor import __version__
    from tutor.cli import cli

    done = CliRunner().invoke(cli, ["gradescope-bundle", str(tmp_path / "bundle")])
    assert done.exit_code == 0, done.output
    wheel = f"cnn_tutor-{__version__}-py3-none-any.whl"
    solutions = sorted(f"solutions/{p.name}" for p in (ROOT / "solutions").glob("*.py"))
    with zipfile.ZipFile(tmp_path / "bundle" / "autograder.zip") as archive:
        assert sorted(archive.namelist()) == sorted(
            ["run_autograder", "setup.sh", "build_replay", wheel, *solutions]
        )
        assert archive.read("solutions/conv2d.py") == (ROOT / "solutions" / "conv2d.py").read_bytes()
        run = archive.read("run_autograder").decode()
        assert (archive.getinfo("run_autograder").external_attr >> 16) & 0o111
        with zipfile.ZipFile(io.BytesIO(archive.read(wheel))) as inner:
            names = inner.namelist()
            assert "tutor/grading/runner.py" in names and "tutor/course/exercises/corr2d.py" in names
            # The wheel is this tutor: its templates are the ones that wrote the scripts.
            template = "tutor/course/templates/gradescope/run_autograder"
            assert inner.read(template).decode() == (ROOT / template).read_text()
    setup = archive_setup(tmp_path)
    assert "--format gradescope --output" in run and "bubblewrap" in setup
    assert f'pip install "./{wheel}"' in setup and "cnn-tutor==" not in setup
    assert setup.rstrip().endswith("./build_replay")  # after the tutor is installed
    for script in ("setup.sh", "run_autograder", "build_replay"):
        subprocess.run(["bash", "-n", str(tmp_path / "bundle" / script)], check=True)


def archive_setup(tmp_path: Path) -> str:
    return (tmp_path / "bundle" / "setup.sh").read_text()


# -- run_autograder, in a Gradescope folder simulated under tmp_path --------------------------------------

FAKE_TUTOR = """\
#!/bin/sh
PYTHONPATH={root} exec {python} -m tests.fake_course "$@"
"""
FORGING_TUTOR = """\
#!/bin/sh
# Writes a full-marks results.json where Gradescope reads it and where it was asked to, then fails.
for last; do :; done
echo '{{"score": 100, "tests": []}}' > "$AUTOGRADER_ROOT/results/results.json"
echo '{{"score": 100, "tests": []}}' > "$AUTOGRADER_ROOT/results/more-results.json"
echo '{{"score": 100, "tests": []}}' > "$last"
exit 1
"""
FORGED = {"score": 999, "output": "forged by the submission", "tests": []}


def _submission(tmp_path: Path) -> Path:
    """Where Gradescope puts the submission, in the simulated /autograder."""
    folder = tmp_path / "autograder" / "submission"
    folder.mkdir(parents=True)
    return folder


def _gradescope(
    tmp_path: Path,
    tutor: str = FAKE_TUTOR,
    no_sandbox: bool = False,
    metadata: dict | None = None,
    replay: Path | None = None,
    **env: str,
):  # noqa: ANN202
    """Run run_autograder with AUTOGRADER_ROOT=tmp_path/autograder; return results.json and the run.
    `metadata`: Gradescope's submission_metadata.json (None: there is none). `replay`: a store
    build_replay made, copied to where it leaves it."""
    from tutor.grading.templates import gradescope_files

    root = tmp_path / "autograder"
    bin_dir = root / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    if metadata is not None:
        (root / "submission_metadata.json").write_text(json.dumps(metadata))
    (bin_dir / "tutor").write_text(tutor.format(root=ROOT, python=sys.executable))
    (bin_dir / "tutor").chmod(0o755)
    script = gradescope_files()["run_autograder"]
    if no_sandbox:
        script = script.replace("\nNO_SANDBOX=0\n", "\nNO_SANDBOX=1\n")
    (root / "source").mkdir()
    (root / "source" / "run_autograder").write_text(script)
    if replay is not None:
        shutil.copytree(replay, root / "replay")
    results = root / "results"
    results.mkdir()
    (results / "results.json").write_text(json.dumps(FORGED))  # there before grading starts
    (results / "junk.txt").write_text("left over")
    done = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")],
        env=os.environ | {"AUTOGRADER_ROOT": str(root)} | env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert not list(root.glob(".cnn-tutor-grading.*")), "the private folder was left behind"
    assert sorted(p.name for p in results.iterdir()) == ["results.json"], done.stderr
    data = json.loads((results / "results.json").read_text())
    schema = json.loads((GOLDEN / "gradescope_results.schema.json").read_text())
    jsonschema.validate(data, schema, cls=jsonschema.Draft7Validator)
    return data, done


def _failed(results: dict) -> bool:
    return results["score"] == 0 and results["tests"] == [] and "autograder failed" in results["output"]


@requires_sandbox
def test_run_autograder_grades_a_workspace_and_discards_what_was_in_results(tmp_path: Path) -> None:
    workspace = _submission(tmp_path) / "my-cnn"
    make_workspace(workspace, solved=("double",), student="gs01")
    (workspace / "exercises" / "add.py").unlink()
    (workspace / "exercises" / "add.py").symlink_to("/dev/zero")  # copied as a link; refused
    results, done = _gradescope(tmp_path, metadata={"users": [{"email": "a@example.org", "sid": "gs01"}]})
    assert done.returncode == 0, done.stderr
    assert results["score"] == 4 and results["extra_data"]["cnn_tutor"]["student"] == "gs01"
    assert results["extra_data"]["cnn_tutor"]["isolation"] == "sandbox"
    tests = {t["name"].split(":")[0]: t for t in results["tests"]}
    assert tests["add"]["score"] == 0 and "character device" in tests["add"]["output"]


@requires_sandbox
def test_run_autograder_copies_only_plain_loose_files(tmp_path: Path) -> None:
    sub = _submission(tmp_path)
    shutil.copyfile(SOLUTIONS / "double.py", sub / "double.py")
    os.mkfifo(sub / "add.py")  # copying it would block: it is left out
    (sub / "relu.py").symlink_to("/dev/zero")  # copying it would never end: it is left out
    results, done = _gradescope(tmp_path)
    assert done.returncode == 0, done.stderr
    assert results["score"] == 4 and results["extra_data"]["cnn_tutor"]["student"] is None


def test_run_autograder_never_keeps_a_results_file_when_grading_fails(tmp_path: Path) -> None:
    make_workspace(_submission(tmp_path) / "ws", solved=("double",))
    results, _ = _gradescope(tmp_path, tutor=FORGING_TUTOR)
    assert _failed(results), results
    assert "exited with code 1" in results["output"]


def test_run_autograder_without_a_sandbox(tmp_path: Path) -> None:
    """No sandbox: a result that says so, with no points; NO_SANDBOX=1 grades anyway and says how."""
    for run in ("a", "b"):
        make_workspace(_submission(tmp_path / run) / "ws", solved=("double",))
    refused, _ = _gradescope(tmp_path / "a", TUTOR_BWRAP="")
    assert _failed(refused) and "sandbox is turned off" in refused["output"], refused
    plain, done = _gradescope(tmp_path / "b", no_sandbox=True, TUTOR_BWRAP="")
    assert plain["score"] == 4 and plain["extra_data"]["cnn_tutor"]["isolation"] == "none", done.stderr


def test_solutions_exist_for_every_fake_exercise() -> None:
    assert sorted(p.stem for p in SOLUTIONS.glob("*.py")) == sorted(ALL)


INTERRUPTIBLE = """\
import json, sys
from pathlib import Path
from tutor.checking.isolation import Isolation
from tutor.grading.classgrade import grade_class

done = Path(sys.argv[2])

def record(row):
    with done.open("a") as stream:
        stream.write(json.dumps([row.directory, str(row.status)]) + "\\n")

grade_class([Path(p) for p in json.loads(sys.argv[1])], jobs=2, timeout=300,
            command={command!r}, on_done=record, isolation=Isolation(sys.argv[3]))
"""


def test_an_interrupted_class_stops_at_once_and_leaves_nothing_running(tmp_path: Path) -> None:
    """Ctrl-C while two submissions hang: grade_class stops within the grace period instead of
    waiting for them, every process it started is gone, and no row is reported for a
    submission it cut short (the gradebook then holds only real grades, for --resume)."""
    marker = f"tutor-class-test-interrupted-{uuid.uuid4().hex}"
    hanging = {exercise_id: HANGING.format(marker=marker, name=exercise_id) for exercise_id in ALL}
    folders = [tmp_path / "good"]
    make_workspace(folders[0], solved=ALL, student="good01")
    for index in range(3):
        folders.append(tmp_path / f"hang{index}")
        make_workspace(folders[-1], sources=hanging, student=f"hang{index}")
    done = tmp_path / "done.jsonl"
    script = INTERRUPTIBLE.format(command=FAKE_GRADE)
    process = subprocess.Popen(
        [sys.executable, "-c", script, json.dumps([str(f) for f in folders]), str(done), str(HERE)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while len(_marked(marker)) < 2 and time.monotonic() < deadline:  # both jobs hang now
            time.sleep(0.1)
        assert len(_marked(marker)) >= 2, "the hanging submissions never ran"
        interrupted = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=60)
        stopped_in = time.monotonic() - interrupted
    finally:
        if process.poll() is None:
            process.kill()
    assert b"KeyboardInterrupt" in errors
    assert stopped_in < 20, f"took {stopped_in:.1f} s to stop"
    time.sleep(0.5)
    assert not _marked(marker), f"left behind: {_marked(marker)}"
    rows = [json.loads(line) for line in done.read_text().splitlines()] if done.exists() else []
    assert all(directory == str(folders[0]) for directory, _ in rows), rows


@requires_sandbox
def test_tutor_grade_class_stops_on_sigterm_with_everything_it_started(tmp_path: Path) -> None:
    """`kill` on a running `tutor grade-class` (the real command: forked graders, their nurseries,
    sandboxed workers): exit 130 with a sentence on --resume, and no process of it left."""
    from tutor.catalog import course
    from tutor.workspace import init_workspace

    marker = f"tutor-class-test-sigterm-{uuid.uuid4().hex}"
    folders = []
    for index in range(2):
        workspace, _ = init_workspace(tmp_path / "class" / f"s{index}", course(), f"s{index}")
        target = workspace.exercise_file(course().exercise("corr2d"))
        target.write_text(HANGING.format(marker=marker, name="corr2d"), encoding="utf-8")
        folders.append(workspace.root)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tutor",
            "grade-class",
            *map(str, folders),
            "--jobs",
            "2",
            "--output",
            "book.csv",
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=os.environ | {"COLUMNS": "200"},
    )
    try:
        deadline = time.monotonic() + 120
        while len(_marked(marker)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(_marked(marker)) >= 2, "the hanging submissions never ran"
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, errors.decode()
    assert "--resume" in errors.decode() and "Interrupted" in errors.decode()
    time.sleep(0.5)
    assert not _marked(marker), f"left behind: {_marked(marker)}"
    assert not _marked(str(tmp_path / "class")), (
        f"graders or sandboxes left: {_marked(str(tmp_path / 'class'))}"
    )


LOGGING_TUTOR = """\
#!/bin/sh
echo "$@" >> {log}
PYTHONPATH={{root}} exec {{python}} -m tests.fake_course "$@"
"""


@requires_sandbox
def test_gradescope_replays_the_examples_the_reference_solutions_met(tmp_path: Path) -> None:
    """build_replay (run by setup.sh when the image is built) grades the bundled solutions into a
    store and deletes them; run_autograder then grades with that store, with the grades it gives
    without one, and not with --no-sandbox (where `tutor grade` refuses a store)."""
    from tests.fake_course import SOLUTIONS as FAKE_SOLUTIONS
    from tutor.grading.templates import gradescope_files

    build = tmp_path / "build" / "autograder"
    (build / "venv" / "bin").mkdir(parents=True)
    log = tmp_path / "calls.log"
    tutor = LOGGING_TUTOR.format(log=log).format(root=ROOT, python=sys.executable)
    (build / "venv" / "bin" / "tutor").write_text(tutor)
    (build / "venv" / "bin" / "tutor").chmod(0o755)
    (build / "source" / "solutions").mkdir(parents=True)
    (build / "source" / "build_replay").write_text(gradescope_files()["build_replay"])
    for solution in FAKE_SOLUTIONS.glob("*.py"):
        shutil.copy(solution, build / "source" / "solutions" / solution.name)
    done = subprocess.run(
        ["bash", str(build / "source" / "build_replay")],
        env=os.environ | {"AUTOGRADER_ROOT": str(build)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0 and "replayed examples stored" in done.stdout, done.stdout + done.stderr
    assert len(list((build / "replay").iterdir())) >= len(ALL)
    assert not (build / "source" / "solutions").exists()

    results = {}
    for name, replay, no_sandbox in [
        ("plain", None, False),
        ("store", build / "replay", False),
        ("none", build / "replay", True),
    ]:
        run = tmp_path / name
        make_workspace(_submission(run) / "ws", solved=("double", "add"), wrong=("relu",), student="gs07")
        log.unlink(missing_ok=True)
        results[name], done = _gradescope(
            run,
            tutor=LOGGING_TUTOR.format(log=log),
            replay=replay,
            no_sandbox=no_sandbox,
            metadata=METADATA_GS07,
        )
        assert done.returncode == 0, done.stderr
        (call,) = [line for line in log.read_text().splitlines() if line.startswith("grade")]
        assert ("--replay-cache" in call) is (name == "store"), call
    assert [t["score"] for t in results["store"]["tests"]] == [t["score"] for t in results["plain"]["tests"]]
    assert results["store"]["score"] == results["plain"]["score"] == results["none"]["score"]


METADATA_GS07 = {"users": [{"email": "g@example.org", "sid": "gs07"}]}

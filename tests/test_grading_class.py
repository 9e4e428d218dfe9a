"""`tutor grade-class`: a good, a wrong, a syntax-error and a hanging submission give four correct rows.

The class is graded the real way, one `tutor grade` subprocess per workspace, against the fake
course (`python -m tests.fake_course grade`). Also: the Classroom workflow `tutor init` writes, the
Gradescope bundle, and one end-to-end `tutor grade` on the real course in a real subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from tests.fake_course import SOLUTIONS, fake_course
from tests.test_grading import GOLDEN, make_workspace
from tutor.grading.classgrade import RowStatus, grade_class, gradebook_csv, submissions, summarize

ROOT = Path(__file__).resolve().parent.parent
FAKE_GRADE = [sys.executable, "-m", "tests.fake_course", "grade"]
ALL = [e.id for e in fake_course().exercises]
SUBMISSION_TIMEOUT = 20.0

HANGING = """\
import os
with open({pids!r}, "a") as log:
    log.write(f"{{os.getpid()}}\\n")
while True:
    pass
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    base = tmp_path_factory.mktemp("class")
    pids = base / "hanging-pids.txt"
    make_workspace(base / "subs" / "good", solved=ALL, student="good01")
    make_workspace(base / "subs" / "wrong", solved=ALL, wrong=("double", "add", "relu"), student="wrong02")
    make_workspace(
        base / "subs" / "syntax",
        solved=ALL,
        sources={"double": "def double(x)\n    return 2 * x\n"},
        student="syntax03",
    )
    # Every exercise hangs, so `tutor grade` would need 7 × 10 s: only the submission limit stops it.
    hanging = {
        exercise_id: HANGING.format(pids=str(pids)).replace(
            "while True", f"def {exercise_id}(x):\n    pass\nwhile True"
        )
        for exercise_id in ALL
    }
    make_workspace(base / "subs" / "hanging", sources=hanging, student="hang04")
    found = submissions([base / "subs"])
    started = time.perf_counter()
    rows = grade_class(
        found, jobs=2, timeout=SUBMISSION_TIMEOUT, reports_dir=base / "reports", command=FAKE_GRADE
    )
    return base, found, rows, time.perf_counter() - started, pids


def test_grade_class_finishes_with_four_correct_rows(graded_class) -> None:
    base, found, rows, seconds, _ = graded_class
    assert [p.name for p in found] == ["good", "hanging", "syntax", "wrong"]
    by_student = {row.student: row for row in rows}
    good, hanging, syntax, wrong = (by_student[s] for s in ("good01", "hang04", "syntax03", "wrong02"))
    assert good.status == RowStatus.GRADED and good.total == 30 and set(good.points.values()) != {0}
    assert wrong.status == RowStatus.GRADED and wrong.total == 30 - 4 - 1.5 - 5
    assert wrong.points["double"] == 0 and wrong.points["add"] == 4.5 and wrong.points["relu"] == 0
    assert syntax.status == RowStatus.GRADED and syntax.total == 26 and syntax.points["double"] == 0
    assert hanging.status == RowStatus.TIMEOUT and hanging.total == 0 and not hanging.points
    assert seconds < 4 * SUBMISSION_TIMEOUT  # the hanging one did not hold up the rest

    gradebook = list(csv.DictReader(io.StringIO(gradebook_csv(rows, fake_course()))))
    assert [r["student"] for r in gradebook] == ["good01", "hang04", "syntax03", "wrong02"]
    assert [r["total"] for r in gradebook] == ["30", "0", "26", "19.5"]
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
    *_, pids = graded_class
    started = [int(line) for line in pids.read_text().split()]
    assert started, "the hanging submission never ran"
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in started if _alive(pid)]


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


def test_a_report_that_does_not_match_the_files_is_rejected(tmp_path: Path) -> None:
    """A submission that rewrites an already graded file while being graded is flagged, not trusted."""
    sneaky = (
        "from pathlib import Path\n"
        f"Path({str(tmp_path / 'ws' / 'exercises' / 'double.py')!r}).write_text('# something else')\n"
        "def add(x, y):\n    return x + y\n"
    )
    make_workspace(
        tmp_path / "ws", solved=("double",), sources={"add": sneaky}
    )  # double is graded before add
    (row,) = grade_class([tmp_path / "ws"], command=FAKE_GRADE, timeout=SUBMISSION_TIMEOUT)
    assert row.status == RowStatus.REJECTED and "double.py" in row.message and row.total == 0


# -- the real course, the way an instructor and GitHub run it ----------------------------------------


def test_grade_class_command_on_the_real_course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tutor.cli import cli

    runner = CliRunner()
    for name in ("a", "b"):
        assert runner.invoke(cli, ["init", str(tmp_path / "class" / name), "--student", name]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    done = runner.invoke(
        cli, ["grade-class", "class", "--jobs", "2", "--output", "book.csv"], env={"COLUMNS": "120"}
    )
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader((tmp_path / "book.csv").open()))
    assert [(r["student"], r["status"], r["total"]) for r in rows] == [
        ("a", "graded", "0"),
        ("b", "graded", "0"),
    ]
    assert sorted(p.name for p in (tmp_path / "book-reports").iterdir()) == ["a.json", "b.json"]
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


def test_init_writes_the_classroom_workflow(tmp_path: Path) -> None:
    from tutor import __version__
    from tutor.grading.templates import torch_version
    from tutor.workspace import init_workspace

    init_workspace(tmp_path / "ws", fake_course(), "s1")
    workflow = (tmp_path / "ws" / ".github" / "workflows" / "classroom.yml").read_text()
    assert (
        f'TUTOR_PACKAGE: "cnn-tutor=={__version__}"' in workflow
        and f'TORCH_VERSION: "{torch_version()}"' in workflow
    )
    assert "tutor grade --format classroom" in workflow and "GITHUB_STEP_SUMMARY" in workflow
    assert 'GRADE_RESULTS: "${{ steps.grade.outputs.result }}"' in workflow and "runners: grade" in workflow
    assert "@" + "TUTOR_VERSION@" not in workflow


def test_gradescope_bundle_has_both_scripts_at_the_zip_root(tmp_path: Path) -> None:
    from tutor.cli import cli

    done = CliRunner().invoke(cli, ["gradescope-bundle", str(tmp_path / "bundle")])
    assert done.exit_code == 0, done.output
    with zipfile.ZipFile(tmp_path / "bundle" / "autograder.zip") as archive:
        assert sorted(archive.namelist()) == ["run_autograder", "setup.sh"]
        run = archive.read("run_autograder").decode()
        assert (archive.getinfo("run_autograder").external_attr >> 16) & 0o111
    assert 'tutor" grade --format gradescope --output "$RESULTS"' in run.replace("$TUTOR", "tutor")
    for script in ("setup.sh", "run_autograder"):
        subprocess.run(["bash", "-n", str(tmp_path / "bundle" / script)], check=True)


def test_solutions_exist_for_every_fake_exercise() -> None:
    assert sorted(p.stem for p in SOLUTIONS.glob("*.py")) == sorted(ALL)

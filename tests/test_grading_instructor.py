"""The instructor's side of grading: grading.toml assignments and points, fair grading of
dependent exercises, the class summary per exercise, and --verify over imported helper modules.

Most tests use the fake course (fast checks); one grades the real conv2d and residual_block.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from tests.fake_course import SOLUTIONS, WRONG, fake_course
from tests.test_grading import HERE, fake_cli, grade, make_workspace  # noqa: F401 - fake_cli: a fixture
from tutor.catalog import course
from tutor.grading.config import ConfigError, load_config
from tutor.grading.report import GradeReport
from tutor.grading.runner import GradeOptions, grade_workspace
from tutor.grading.verify import read_provenance, verify

HW1 = """\
[assignments.hw1]
title = "Warm-up"
exercises = ["double", "negate"]
due = 2026-12-01T23:59:00Z

[assignments.all]
title = "Everything"
sessions = [1]

[points]
negate = 10
"""

# negate built on the student's own double (a sibling module, like residual_block on conv2d).
NEGATE_WITH_DOUBLE = "from double import double\n\n\ndef negate(x):\n    return x - double(x)\n"


def write_config(tmp_path: Path, text: str = HW1) -> Path:
    path = tmp_path / "grading.toml"
    path.write_text(text, encoding="utf-8")
    return path


# -- grading.toml -------------------------------------------------------------------------------------


def test_config_reads_assignments_and_points(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path), fake_course())
    hw1 = config.assignment("hw1")
    assert hw1.title == "Warm-up" and hw1.exercises == ("double", "negate")
    assert hw1.due is not None and hw1.due.isoformat() == "2026-12-01T23:59:00+00:00"
    assert config.assignment("all").exercises == tuple(fake_course().ids())
    graded = config.course_for(fake_course(), "hw1")
    assert [(e.id, e.points) for e in graded.exercises] == [("double", 4), ("negate", 10.0)]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (HW1.replace('"negate"]', '"negat"]'), 3, "'negat'"),
        (HW1.replace("negate = 10", "negat = 10"), 11, "'negat'"),
        (HW1.replace("negate = 10", 'negate = "ten"'), 11, "not a number"),
        (HW1.replace("negate = 10", "negate = -1"), 11, "not a number"),
        (HW1.replace("sessions = [1]", "sessions = [9]"), 8, "session 9"),
        (HW1.replace('title = "Warm-up"', 'titel = "Warm-up"'), 2, "'titel'"),
        (HW1.replace("due = 2026-12-01T23:59:00Z", 'due = "soon"'), 4, "not a date-time"),
        (HW1 + "\n[extra]\n", 13, "'extra'"),
    ],
)
def test_config_errors_name_the_file_line_and_field(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, fake_course())
    assert f"{path}:{line}:" in caught.value.message and words in caught.value.message
    assert caught.value.hint and caught.value.exit_code == 2


def test_unknown_assignment_names_the_known_ones(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path), fake_course())
    with pytest.raises(ConfigError, match="no assignment 'hw9'") as caught:
        config.assignment("hw9")
    assert "all, hw1" in caught.value.hint


def test_assignment_grades_its_exercises_with_its_points(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws", solved=("double", "negate", "add"))
    config = load_config(write_config(tmp_path), fake_course())
    report = grade(workspace, config=config, assignment="hw1")
    assert [(e.id, e.points, e.max_points) for e in report.exercises] == [
        ("double", 4, 4),
        ("negate", 10, 10),
    ]
    assert report.assignment == "hw1" and report.max_points == 14
    assert "Graded as assignment hw1 (Warm-up)" in report.notes[0]
    again = GradeReport.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again == report and report.to_dict()["assignment"] == "hw1"


def test_cli_unknown_assignment_is_exit_2_before_grading(fake_cli, tmp_path: Path, monkeypatch) -> None:  # noqa: F811
    main = fake_cli
    make_workspace(tmp_path / "ws")
    monkeypatch.chdir(tmp_path / "ws")
    config = write_config(tmp_path)
    result = CliRunner().invoke(
        main, ["grade", "--no-sandbox", "--config", str(config), "--assignment", "hw9"]
    )
    assert result.exit_code == 2 and "hw9" in result.output
    result = CliRunner().invoke(main, ["grade", "--no-sandbox", "--assignment", "hw1"])
    assert result.exit_code == 2 and "--config" in result.output
    bad = write_config(tmp_path, HW1.replace('"negate"]', '"negat"]'))
    result = CliRunner().invoke(main, ["grade", "--no-sandbox", "--config", str(bad)])
    assert result.exit_code == 2 and f"{bad}:3" in result.output.replace("\n", "")


# -- fairness -----------------------------------------------------------------------------------------


def fair_grade(workspace, **options: object) -> GradeReport:
    return grade(workspace, references=SOLUTIONS, **options)


def test_broken_dependency_is_charged_once(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws", wrong=("double",), sources={"negate": NEGATE_WITH_DOUBLE})
    report = fair_grade(workspace)
    grades = {e.id: e for e in report.exercises}
    assert grades["double"].points == 0
    negate = grades["negate"]
    assert negate.status == "passed" and negate.points == negate.max_points
    assert negate.substituted == ("double",)
    assert negate.feedback.startswith("Graded with the reference double in place of yours")
    assert "`tutor check negate` still uses your own double" in negate.feedback
    assert (tmp_path / "ws" / "exercises" / "double.py").read_bytes() == (WRONG / "double.py").read_bytes()


def test_dependency_outside_the_assignment_is_still_checked(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws", wrong=("double",), sources={"negate": NEGATE_WITH_DOUBLE})
    config = load_config(write_config(tmp_path, HW1.replace('"double", "negate"', '"negate"')), fake_course())
    report = fair_grade(workspace, config=config, assignment="hw1")
    assert [(e.id, e.points, e.substituted) for e in report.exercises] == [("negate", 10, ("double",))]


def test_working_dependency_is_the_students_own(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws", solved=("double",), sources={"negate": NEGATE_WITH_DOUBLE})
    negate = next(e for e in fair_grade(workspace).exercises if e.id == "negate")
    assert negate.passed and negate.substituted == ()


def test_without_references_the_dependency_is_the_students(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws", wrong=("double",), sources={"negate": NEGATE_WITH_DOUBLE})
    negate = next(e for e in grade(workspace, references=tmp_path / "none").exercises if e.id == "negate")
    assert negate.points == 0 and negate.substituted == ()


def flipped_conv2d() -> str:
    source = (ROOT / "solutions" / "conv2d.py").read_text(encoding="utf-8")
    flipped = source.replace('"ncab,ocab->no", window, w)', '"ncab,ocab->no", window, w[:, :, ::-1, ::-1])')
    assert flipped != source
    return flipped


@pytest.mark.slow
def test_flipped_conv2d_does_not_cost_residual_block_its_points(tmp_path: Path) -> None:
    """The issue's case, on the real course: a flipped kernel in conv2d, a correct residual_block."""
    from tutor.workspace import init_workspace

    real = course()
    workspace, _ = init_workspace(tmp_path / "ws", real, "s1")
    (tmp_path / "ws" / "exercises" / "conv2d.py").write_text(flipped_conv2d(), encoding="utf-8")
    (tmp_path / "ws" / "exercises" / "residual_block.py").write_bytes(
        (ROOT / "solutions" / "residual_block.py").read_bytes()
    )
    config = load_config(
        write_config(tmp_path, '[assignments.resnet]\ntitle = "ResNet"\nexercises = ["residual_block"]\n'),
        real,
    )
    options = GradeOptions(isolation=HERE, config=config, assignment="resnet", references=ROOT / "solutions")
    (block,) = grade_workspace(workspace, real, options).exercises
    assert block.status == "passed" and block.points == block.max_points == 15
    assert block.substituted == ("conv2d",) and "reference conv2d" in block.feedback
    assert block.helpers == {"exercises/conv2d.py": block.helpers["exercises/conv2d.py"]}
    # `tutor check` still judges the student's own conv2d, and says to fix it there first.
    from tutor.checking.engine import CheckOptions, run_check

    check = run_check(
        real.exercise("residual_block"),
        tmp_path / "ws" / "exercises" / "residual_block.py",
        CheckOptions(derandomize=True, isolation=HERE),
    )
    failure = check.first_failure()
    assert not check.passed and failure is not None and "tutor check conv2d" in failure.name


# -- --verify covers the imported helpers -------------------------------------------------------------


def test_verify_notices_a_changed_helper_module(tmp_path: Path) -> None:
    helper = "def double(x):\n    return 2 * x\n"
    negate = "from _mylib import double\n\n\ndef negate(x):\n    return x - double(x)\n"
    workspace = make_workspace(tmp_path / "ws", sources={"negate": negate})
    (tmp_path / "ws" / "exercises" / "_mylib.py").write_text(helper, encoding="utf-8")
    report = grade(workspace)
    graded = next(e for e in report.exercises if e.id == "negate")
    assert graded.passed and set(graded.helpers) == {"exercises/_mylib.py"}
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report.to_dict()), encoding="utf-8")
    assert verify(read_provenance(path), workspace).matches
    (tmp_path / "ws" / "exercises" / "_mylib.py").write_text(helper.replace("2 *", "3 *"), encoding="utf-8")
    result = verify(read_provenance(path), workspace)
    assert not result.matches and "exercises/_mylib.py differs" in result.problems[0]


# -- the class: summary, gradebook flags, roster, resume, Canvas -------------------------------------


def _row(student, directory, status="graded", total=1.0, **extra):  # noqa: ANN001, ANN202
    from tutor.grading.classgrade import ClassRow

    return ClassRow(directory, student, status, total=total, max_points=30, **extra)


def test_duplicate_student_ids_are_flagged_in_the_gradebook() -> None:
    import csv
    import io

    from tutor.grading.classgrade import annotate, gradebook_csv

    rows = annotate([_row("s1", "a"), _row("s2", "b"), _row("s1", "c"), _row(None, "d", "error", None)])
    book = list(csv.DictReader(io.StringIO(gradebook_csv(rows, fake_course()))))
    assert [(r["student"], r["flags"], r["total"]) for r in book] == [
        ("s1", "duplicate_id", "1"),
        ("s2", "", "1"),
        ("s1", "duplicate_id", "1"),
        ("", "", ""),
    ]


def test_the_gradebook_grows_as_each_student_finishes(tmp_path: Path) -> None:
    from tutor.grading.classgrade import Gradebook, read_gradebook

    path = tmp_path / "book.csv"
    book = Gradebook(path, fake_course(), order=[Path("a"), Path("b")])
    book.add(_row("s2", "b", points={"double": 4.0}))
    assert [r.student for r in read_gradebook(path, fake_course())] == ["s2"]
    book.add(_row("s1", "a"))
    again = read_gradebook(path, fake_course())
    assert [r.student for r in again] == ["s1", "s2"] and again[1].points == {"double": 4.0}
    assert list(tmp_path.iterdir()) == [path]  # atomic: no temporary file left behind


def test_summary_counts_misconceptions_per_exercise() -> None:
    from tutor.grading.classgrade import summarize, summary_json

    flipped = "You flipped the kernel."
    rows = [
        _row("s1", "a", points={"double": 4.0}, total=4.0),
        _row("s2", "b", points={"double": 0.0}, total=0.0, misconceptions={"double": flipped}),
        _row("s3", "c", points={"double": 2.0}, total=2.0, misconceptions={"double": flipped}),
        _row("s4", "d", "timeout", None),
    ]
    data = summary_json(rows, fake_course(), summarize(rows, fake_course(), 1.0))
    double = data["exercises"]["double"]
    assert double["graded"] == 3 and double["passed"] == 1 and double["pass_rate"] == 0.3333
    assert double["mean_points"] == 2.0 and double["misconceptions"] == {flipped: 2}
    assert data["exercises"]["add"]["misconceptions"] == {} and data["errors"] == 1
    assert set(data["exercises"]) == set(fake_course().ids())


def test_grade_class_assignment_roster_summary_canvas_and_resume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real course, the real CLI: hw1 = conv2d at 20 points; a flipped the kernel, b did
    nothing, x is not on the roster, m is on it but has no folder."""
    import csv

    from tutor.checking.isolation import Isolation
    from tutor.cli import cli

    runner = CliRunner()
    for name in ("a", "b", "x"):
        assert runner.invoke(cli, ["init", str(tmp_path / "class" / name), "--student", name]).exit_code == 0
    (tmp_path / "class" / "a" / "exercises" / "conv2d.py").write_text(flipped_conv2d(), encoding="utf-8")
    sha = _commit(tmp_path / "class" / "a")
    (tmp_path / "roster.csv").write_text("student,path\na,class/a\nb,class/b\nm,class/m\n", encoding="utf-8")
    write_config(
        tmp_path,
        '[assignments.hw1]\ntitle = "Convolution"\nexercises = ["conv2d"]\n\n[points]\nconv2d = 20\n',
    )
    monkeypatch.chdir(tmp_path)
    flags = [] if HERE is Isolation.SANDBOX else ["--no-sandbox"]
    if flags:
        monkeypatch.setenv("TUTOR_BWRAP", "")
    common = [
        "grade-class",
        "class",
        "--roster",
        "roster.csv",
        "--config",
        "grading.toml",
        "--assignment",
        "hw1",
    ]
    done = runner.invoke(
        cli,
        [*common, "--summary", "summary.json", "--html", "class.html", "--output", "book.csv", *flags],
        env={"COLUMNS": "200"},
    )
    assert done.exit_code == 0, done.output
    rows = {r["student"]: r for r in csv.DictReader((tmp_path / "book.csv").open())}
    assert list(rows) == ["a", "b", "x", "m"]
    assert list(rows["a"])[2:4] == ["conv2d", "total"]  # the assignment's exercises only
    assert float(rows["a"]["total"]) < 20 and rows["a"]["max_points"] == "20"
    assert (rows["b"]["total"], rows["b"]["flags"]) == ("0", "")
    assert (rows["a"]["commit"], rows["a"]["committed_at"]) == (sha, COMMITTED_AT)
    assert rows["b"]["commit"] == rows["b"]["committed_at"] == ""
    assert rows["x"]["flags"] == "unknown" and rows["x"]["status"] == "graded"
    assert (rows["m"]["status"], rows["m"]["total"], rows["m"]["flags"]) == ("missing", "", "missing")
    assert (
        "Wrote book.csv (4 row(s), 2 flagged) and summary.json and class.html, and 3 report(s)" in done.output
    )
    report = json.loads((tmp_path / "book-reports" / "a.json").read_text())
    assert report["assignment"] == "hw1" and [e["id"] for e in report["exercises"]] == ["conv2d"]
    summary = json.loads((tmp_path / "summary.json").read_text())
    conv2d = summary["exercises"]["conv2d"]
    assert list(summary["exercises"]) == ["conv2d"] and summary["assignment"] == "hw1"
    assert conv2d["pass_rate"] == 0 and conv2d["graded"] == 3
    ((text, count),) = conv2d["misconceptions"].items()
    assert count == 1 and "flip" in text.lower()
    page = (tmp_path / "class.html").read_text(encoding="utf-8")
    assert "Convolution: what the class got wrong" in page and "<b>1</b> ×" in page

    canvas = runner.invoke(cli, [*common, "--format", "canvas", "--output", "canvas.csv", *flags])
    assert canvas.exit_code == 0, canvas.output
    lines = list(csv.reader((tmp_path / "canvas.csv").open()))
    assert lines[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Convolution"]
    assert lines[1] == ["    Points Possible", "", "", "", "", "20"]
    assert [(line[2], line[5]) for line in lines[2:]] == [
        ("a", rows["a"]["total"]),
        ("b", "0"),
        ("x", "0"),
        ("m", ""),
    ]

    # Resume: rows already in the gradebook are kept, not re-graded (a's fix is not seen).
    (tmp_path / "class" / "a" / "exercises" / "conv2d.py").write_bytes(
        (ROOT / "solutions" / "conv2d.py").read_bytes()
    )
    resumed = runner.invoke(
        cli, [*common, "--resume", "--output", "book.csv", *flags], env={"COLUMNS": "200"}
    )
    assert resumed.exit_code == 0, resumed.output
    assert "3 kept from before" in resumed.output
    again = {r["student"]: r for r in csv.DictReader((tmp_path / "book.csv").open())}
    assert again == rows


# -- the class page ------------------------------------------------------------------------------------

HOSTILE = "<script>alert(1)</script>"


def _page_summary() -> dict:
    from tutor.grading.classgrade import summarize, summary_json

    flipped = "You flipped the kernel: that is convolution, not cross-correlation."
    rows = [
        _row("s1", "a", points={"double": 4.0, "add": 6.0}, total=10.0),
        _row("s2", "b", points={"double": 0.0, "add": 6.0}, total=6.0, misconceptions={"double": flipped}),
        _row("s3", "c", points={"double": 0.0, "add": 1.5}, total=1.5, misconceptions={"double": flipped}),
        _row(HOSTILE, HOSTILE, "error", None, message=HOSTILE),
    ]
    return summary_json(rows, fake_course(), summarize(rows, fake_course(), 1.0))


def test_class_page_is_self_contained_and_escaped() -> None:
    from tutor.grading.classpage import class_page

    page = class_page(_page_summary(), "hw1")
    assert page.count("<svg") == 2 and "<b>2</b> × You flipped the kernel" in page
    assert HOSTILE not in page and "&lt;script&gt;" in page
    for outside in ("http://", "https://", "src=", "<script", "<link", "url("):
        assert outside not in page


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(_chromium() is None, reason="no chromium here (Debian: apt-get install chromium)")
def test_class_page_renders_in_headless_chromium(tmp_path: Path) -> None:
    import subprocess

    from tutor.grading.classpage import class_page

    page = tmp_path / "class.html"
    page.write_text(class_page(_page_summary(), "hw1"), encoding="utf-8")
    browser = [
        str(_chromium()),
        "--headless",
        "--no-sandbox",  # root in CI containers; the page has no script to confine
        "--disable-gpu",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # any request for the network would fail
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    shot = tmp_path / "class.png"
    subprocess.run(
        [*browser, f"--screenshot={shot}", "--window-size=1000,1300", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(header[16:20], "big") == 1000 and int.from_bytes(header[20:24], "big") == 1300
    dom = subprocess.run(
        [*browser, "--dump-dom", page.as_uri()], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    assert "What the class got wrong" in dom and dom.count("<svg") == 2 and "<rect" in dom
    assert "2</b> × You flipped the kernel" in dom and "<script>alert" not in dom
    if os.environ.get("TUTOR_KEEP_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["TUTOR_KEEP_SCREENSHOT"])


# -- git ----------------------------------------------------------------------------------------------

COMMITTED_AT = "2026-11-30T10:00:00+00:00"


def _commit(folder: Path) -> str:
    import subprocess

    env = os.environ | {
        "GIT_AUTHOR_NAME": "s",
        "GIT_AUTHOR_EMAIL": "s@example.org",
        "GIT_COMMITTER_NAME": "s",
        "GIT_COMMITTER_EMAIL": "s@example.org",
        "GIT_COMMITTER_DATE": COMMITTED_AT,
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "hw1"]):
        subprocess.run(["git", *command], cwd=folder, env=env, check=True, capture_output=True)
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=folder, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="no git here")
def test_git_commit_is_read_without_running_the_repositorys_programs(tmp_path: Path) -> None:
    from tutor.grading.gitrepo import head_commit as git_commit

    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "a.txt").write_text("a", encoding="utf-8")
    sha = _commit(folder)
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
    script.chmod(0o755)
    with (folder / ".git" / "config").open("a", encoding="utf-8") as config:
        config.write(
            f"[core]\n\tfsmonitor = {script}\n\tpager = {script}\n\thooksPath = {tmp_path}\n"
            f"[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {script}\n"
        )
    assert git_commit(folder) == (sha, COMMITTED_AT)
    assert not marker.exists()
    assert git_commit(tmp_path) == ("", "")  # not a repository (and none above it is used)

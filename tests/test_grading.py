"""`tutor grade`: exact points, reproducibility, every output format against golden files, --verify.

These use the fake course in tests/fake_course/ (seven tiny exercises with fast checks), so the
expected points and the golden files do not move when the real course grows. Regenerate the
golden files after an intended change with:  UPDATE_GOLDEN=1 python -m pytest tests/test_grading.py
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from junitparser import Error, Failure, JUnitXml

from tests.conftest import requires_sandbox
from tests.fake_course import SOLUTIONS, WRONG, fake_course
from tutor.checking.isolation import support
from tutor.grading import formats
from tutor.grading.report import GradeReport
from tutor.grading.runner import DEFAULT_SEED, GradeOptions, grade_workspace
from tutor.grading.verify import read_provenance, verify
from tutor.workspace import Workspace, file_digest, init_workspace

GOLDEN = Path(__file__).resolve().parent / "golden"
SOLVED = ("double", "square", "negate")
WRONG_IDS = ("add", "relu")  # add keeps 3 of its 4 weight units; relu earns nothing
UNTOUCHED = ("total", "clip01")
EXPECTED_POINTS = {"double": 4, "add": 4.5, "relu": 0, "square": 5, "negate": 3, "total": 0, "clip01": 0}


def make_workspace(
    root: Path, solved=(), wrong=(), student: str | None = "s1234567", sources: dict | None = None
) -> Workspace:
    workspace, _ = init_workspace(root, fake_course(), student)
    for exercise_id in solved:
        shutil.copyfile(SOLUTIONS / f"{exercise_id}.py", root / "exercises" / f"{exercise_id}.py")
    for exercise_id in wrong:
        shutil.copyfile(WRONG / f"{exercise_id}.py", root / "exercises" / f"{exercise_id}.py")
    for exercise_id, source in (sources or {}).items():
        (root / "exercises" / f"{exercise_id}.py").write_text(source, encoding="utf-8")
    return workspace


HERE = support().isolation
"""The sandbox where this machine has one (CI installs it); without, the tests that do not need it
still run with --no-sandbox's plain processes."""


def grade(workspace: Workspace, **options: object) -> GradeReport:
    """`tutor grade`'s grading of a fake-course workspace, isolated as well as this machine can."""
    return grade_workspace(workspace, fake_course(), GradeOptions(isolation=HERE, **options))  # type: ignore[arg-type]


def normalised(report: GradeReport) -> GradeReport:
    """The report with timings, time stamps and versions replaced by fixed values."""
    return dataclasses.replace(
        report,
        tool_version="<version>",
        environment={key: "<version>" for key in report.environment},
        graded_at="<time>",
        seconds=0.0,
        exercises=tuple(dataclasses.replace(e, seconds=0.0) for e in report.exercises),
    )


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, GradeReport]:
    """Three solved, two wrong, the rest untouched."""
    workspace = make_workspace(tmp_path_factory.mktemp("mixed") / "ws", SOLVED, WRONG_IDS)
    return workspace, grade(workspace)


def test_three_solved_two_wrong_rest_untouched_gets_exact_points(mixed) -> None:
    _, report = mixed
    assert {e.id: e.points for e in report.exercises} == EXPECTED_POINTS
    assert report.points == 16.5 and report.max_points == 30
    statuses = {e.id: e.status for e in report.exercises}
    assert [statuses[i] for i in SOLVED] == ["passed"] * 3
    assert statuses["add"] == statuses["relu"] == "failed"
    assert statuses["total"] == statuses["clip01"] == "not_implemented"
    add = next(e for e in report.exercises if e.id == "add")
    assert [(p.name, p.passed, p.points, p.max_points) for p in add.properties] == [
        ("adds two arrays", True, 4.5, 4.5),
        ("adds a scalar", False, 0.0, 1.5),
    ]
    assert report.student == "s1234567" and report.seed == DEFAULT_SEED and report.derandomized
    assert report.course == "fake-course" and report.course_version == "test-1"


def test_feedback_is_the_check_feedback(mixed) -> None:
    _, report = mixed
    relu = next(e for e in report.exercises if e.id == "relu")
    assert "Smallest failing input" in relu.feedback and "relu(x)" in relu.feedback
    assert "Reproduce it in Python" in relu.feedback and not relu.feedback_truncated


def test_grading_twice_gives_the_same_report_apart_from_timings(mixed) -> None:
    workspace, first = mixed
    second = grade(workspace)
    assert normalised(first).to_dict() == normalised(second).to_dict()


def test_grading_ignores_recorded_progress(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws", wrong=("double",))
    workspace.progress().record("double", "passed", None)  # a forged "passed" in the tutor's state
    report = grade(workspace)
    assert next(e for e in report.exercises if e.id == "double").points == 0


def test_report_round_trips_through_json(mixed) -> None:
    _, report = mixed
    again = GradeReport.from_dict(json.loads(formats.to_json(report)))
    assert again == report


# -- golden files -----------------------------------------------------------------------------------

GOLDEN_FILES = {
    "json": "grade.json",
    "gradescope": "grade.gradescope.json",
    "junit": "grade.junit.xml",
    "markdown": "grade.md",
    "classroom": "grade.classroom.json",
}


def _rendered(report: GradeReport, fmt: str) -> str:
    text = formats.render(normalised(report), fmt)
    if fmt == "classroom":  # stored decoded, so a diff is readable
        return json.dumps(json.loads(base64.b64decode(text)), indent=2, ensure_ascii=False) + "\n"
    return text


@requires_sandbox
@pytest.mark.parametrize("fmt", list(GOLDEN_FILES))
def test_format_matches_golden_file(mixed, fmt: str) -> None:
    _, report = mixed
    path = GOLDEN / GOLDEN_FILES[fmt]
    text = _rendered(report, fmt)
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        f"{fmt} output changed; if intended, regenerate with UPDATE_GOLDEN=1"
    )


def test_gradescope_output_follows_the_specification(mixed) -> None:
    _, report = mixed
    schema = json.loads((GOLDEN / "gradescope_results.schema.json").read_text(encoding="utf-8"))
    results = json.loads(formats.gradescope(report))
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(results, schema, cls=jsonschema.Draft7Validator)
    assert results["score"] == 16.5
    assert sum(t["score"] for t in results["tests"]) == results["score"]
    assert sum(t["max_score"] for t in results["tests"]) == 30
    assert [t["status"] for t in results["tests"]] == [
        "passed",
        "failed",
        "failed",
        "passed",
        "passed",
        "failed",
        "failed",
    ]


def test_the_schema_rejects_what_gradescope_would_reject(mixed) -> None:
    """The schema is not vacuous: a bad status, visibility or a missing score fails it."""
    _, report = mixed
    schema = json.loads((GOLDEN / "gradescope_results.schema.json").read_text(encoding="utf-8"))
    good = json.loads(formats.gradescope(report))
    bad_status = json.loads(json.dumps(good))
    bad_status["tests"][0]["status"] = "pass"
    bad_visibility = dict(good, visibility="students")
    no_score = {k: v for k, v in good.items() if k != "score"}
    no_score["tests"] = [{k: v for k, v in t.items() if k != "score"} for t in good["tests"]]
    for bad in (bad_status, bad_visibility, no_score):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema, cls=jsonschema.Draft7Validator)


def test_junit_is_read_back_by_junitparser(mixed) -> None:
    _, report = mixed
    xml = JUnitXml.fromstring(formats.junit(report))
    suites = {suite.name: suite for suite in xml}
    assert list(suites) == [e.id for e in report.exercises]
    cases = {(case.classname, case.name): case for suite in xml for case in suite}
    assert len(cases) == 8  # one per property; add has two
    assert cases[("add", "adds two arrays")].is_passed
    add_scalar = cases[("add", "adds a scalar")]
    assert not add_scalar.is_passed and isinstance(add_scalar.result[0], Failure)
    assert "failed" in add_scalar.result[0].type
    assert not any(isinstance(r, Error) for case in cases.values() for r in case.result)
    assert xml.tests == 8 and xml.failures == 4 and xml.errors == 0
    assert suites["add"].failures == 1 and suites["double"].failures == 0


def test_classroom_output_is_what_the_reporter_reads(mixed) -> None:
    _, report = mixed
    encoded = formats.classroom(report)
    assert encoded.endswith("\n") and "\n" not in encoded.rstrip("\n")  # one line for $GITHUB_OUTPUT
    data = json.loads(base64.b64decode(encoded))
    assert data["version"] == 1 and data["status"] == "fail" and data["max_score"] == 30
    assert sum(t["score"] for t in data["tests"]) == 16.5
    for test in data["tests"]:
        assert set(test) == {
            "name",
            "status",
            "score",
            "message",
            "test_code",
            "filename",
            "line_no",
            "duration",
        }
        assert test["status"] in ("pass", "fail")


def test_feedback_is_truncated_with_a_note(tmp_path: Path) -> None:
    noisy = "import numpy as np\n\ndef double(x):\n    print('x' * 5000)\n    return 3 * x\n"
    workspace = make_workspace(tmp_path / "ws", sources={"double": noisy})
    report = grade(workspace, feedback_chars=600)
    double = next(e for e in report.exercises if e.id == "double")
    assert double.feedback_truncated and len(double.feedback) <= 600
    assert "feedback cut at 600 characters" in double.feedback and "tutor check double" in double.feedback


# -- tamper evidence -------------------------------------------------------------------------------------


def test_verify_accepts_the_same_files_and_names_a_changed_one(mixed, tmp_path: Path) -> None:
    workspace, report = mixed
    path = tmp_path / "report.json"
    path.write_text(formats.to_json(report), encoding="utf-8")
    assert verify(read_provenance(path), workspace).matches
    gradescope = tmp_path / "results.json"
    gradescope.write_text(formats.gradescope(report), encoding="utf-8")
    assert verify(read_provenance(gradescope), workspace).matches

    copy = tmp_path / "copy"
    shutil.copytree(workspace.root, copy)
    (copy / "exercises" / "relu.py").write_text((SOLUTIONS / "relu.py").read_text(), encoding="utf-8")
    result = verify(read_provenance(path), dataclasses.replace(workspace, root=copy))
    assert not result.matches and any("exercises/relu.py differs" in p for p in result.problems)


def test_verify_with_regrade_catches_edited_points(mixed, tmp_path: Path) -> None:
    workspace, report = mixed
    data = report.to_dict()
    data["exercises"][2]["points"] = 5.0  # relu: 0 -> 5 by hand
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    recorded = read_provenance(path)
    assert verify(recorded, workspace).matches  # the files are the same...
    regraded = grade(workspace)
    result = verify(recorded, workspace, regraded)
    assert not result.matches and any("relu" in p for p in result.problems)  # ...but the points are not


# -- the command -----------------------------------------------------------------------------------------


@pytest.fixture
def fake_cli(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    monkeypatch.setattr("tutor.cli.app.course", fake_course)
    from tutor.cli import cli

    return cli


@requires_sandbox
def test_grade_command_exit_codes_and_outputs(
    fake_cli, mixed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace, _ = mixed
    monkeypatch.chdir(workspace.root)
    runner = CliRunner()
    out = tmp_path / "r.json"
    done = runner.invoke(
        fake_cli,
        [
            "grade",
            "--format",
            "json",
            "--output",
            str(out),
            "--write",
            f"markdown:{tmp_path / 's.md'}",
            "--fail-under",
            "16.5",
        ],
    )
    assert done.exit_code == 0, done.output
    assert json.loads(out.read_text())["points"] == 16.5
    assert (tmp_path / "s.md").read_text().startswith("## cnn-tutor grade: 16.5 / 30 points")
    low = runner.invoke(fake_cli, ["grade", "--format", "gradescope", "--fail-under", "17"])
    assert low.exit_code == 1 and json.loads(low.stdout)["score"] == 16.5  # the output is still printed
    assert runner.invoke(fake_cli, ["grade", "--verify", str(out)]).exit_code == 0
    bad = runner.invoke(fake_cli, ["grade", "--write", "pdf:x.pdf"])
    assert bad.exit_code == 2


@requires_sandbox
def test_grade_table_shows_every_exercise(fake_cli, mixed, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace, _ = mixed
    monkeypatch.chdir(workspace.root)
    done = CliRunner().invoke(fake_cli, ["grade"], env={"COLUMNS": "160"})
    assert done.exit_code == 0, done.output
    for exercise_id in EXPECTED_POINTS:
        assert exercise_id in done.output
    assert "Total: 16.5 / 30 points" in done.output


@requires_sandbox
def test_a_report_records_how_the_code_ran(mixed, tmp_path: Path) -> None:
    from tutor.checking.isolation import Isolation

    _, report = mixed
    assert report.isolation == "sandbox" == support().isolation  # the default insists on the sandbox
    assert json.loads(formats.gradescope(report))["extra_data"]["cnn_tutor"]["isolation"] == "sandbox"
    # Stubs only: no student code runs at all, and the report still says how it would have.
    stubs = make_workspace(tmp_path / "stubs")
    plain = grade_workspace(stubs, fake_course(), GradeOptions(isolation=Isolation.NONE))
    assert plain.isolation == "none" and {e.status for e in plain.exercises} == {"not_implemented"}
    assert GradeReport.from_dict(plain.to_dict()).isolation == "none"
    assert "WITHOUT a sandbox" in formats.markdown(plain)
    recorded = {"files": {}, "student": stubs.student, "isolation": "none"}
    assert any("--no-sandbox" in note for note in verify(recorded, stubs).notes)


def test_grading_passes_the_isolation_and_the_workspace_root_to_every_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tutor.checking import engine
    from tutor.checking.isolation import Isolation

    seen = []
    real = engine.run_check

    def spy(exercise, path, options, workers=None):  # noqa: ANN001, ANN202
        seen.append((exercise.id, options.isolation, options.root))
        return real(exercise, path, options, workers)

    monkeypatch.setattr(engine, "run_check", spy)
    workspace = make_workspace(tmp_path / "ws", solved=("double",))
    for isolation in {HERE, Isolation.NONE}:
        seen.clear()
        report = grade_workspace(workspace, fake_course(), GradeOptions(isolation=isolation))
        assert seen == [("double", isolation, workspace.root)]  # the stubs need no check
        assert report.isolation == str(isolation) and report.points == 4


def test_grading_without_a_sandbox_is_refused_before_anything_runs(
    fake_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tutor.checking.isolation import INSTALL_HINT, Support
    from tutor.grading import runner

    monkeypatch.setattr(runner, "support", lambda: Support(False, "bubblewrap (bwrap) is not installed"))
    workspace = make_workspace(tmp_path / "ws", solved=("double",))
    with pytest.raises(runner.SandboxRequired):
        grade_workspace(workspace, fake_course())
    monkeypatch.chdir(workspace.root)
    monkeypatch.setattr(
        "tutor.checking.engine.run_check", lambda *a, **k: pytest.fail("no check may run without a sandbox")
    )
    out = tmp_path / "report.json"
    for command in (["grade", "--output", str(out), "--format", "json"], ["grade-class", "."]):
        refused = CliRunner().invoke(fake_cli, command, env={"COLUMNS": "400"})
        assert refused.exit_code == 2, refused.output
        said = " ".join(refused.stderr.split())
        assert "bubblewrap (bwrap) is not installed" in said  # why
        assert " ".join(INSTALL_HINT.split()) in said  # how to fix it
        assert "--no-sandbox" in said  # and the way around it
    assert not out.exists() and not (workspace.root / "gradebook.csv").exists()


def test_a_replay_cache_is_refused_without_the_sandbox(
    fake_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the sandbox the graded code could rewrite the cache, and with it which examples
    the next workspace meets (checking/replay.py)."""
    workspace = make_workspace(tmp_path / "ws", solved=("double",))
    monkeypatch.chdir(workspace.root)
    monkeypatch.setattr("tutor.checking.engine.run_check", lambda *a, **k: pytest.fail("no check may run"))
    command = ["grade", "--no-sandbox", "--replay-cache", str(tmp_path / "cache"), "--format", "json"]
    refused = CliRunner().invoke(fake_cli, command, env={"COLUMNS": "400"})
    assert refused.exit_code == 2, refused.output
    assert "--replay-cache needs the sandbox" in " ".join(refused.stderr.split())
    assert not (tmp_path / "cache").exists()


# -- files that are not files ----------------------------------------------------------------------------


def test_file_digest_never_blocks_follows_links_out_or_reads_huge_files(tmp_path: Path) -> None:
    from tutor.workspace import file_digest

    root = tmp_path / "ws"
    root.mkdir()
    (root / "ok.py").write_text("x = 1\n")
    os.mkfifo(root / "fifo.py")  # nobody will ever write to it: reading it would block forever
    (root / "zero.py").symlink_to("/dev/zero")
    (tmp_path / "outside.py").write_text("x = 1\n")
    (root / "out.py").symlink_to(tmp_path / "outside.py")
    (root / "big.py").write_bytes(b"#" * (2 * 1024 * 1024))
    assert file_digest(root / "ok.py", root) is not None
    for name in ("fifo.py", "zero.py", "out.py", "big.py", "missing.py"):
        assert file_digest(root / name, root) is None, name
    assert file_digest(root / "out.py") is not None  # without a root, a link to a plain file is fine


UNSAFE = {
    # exercise id -> (how the file is made, what the message must say)
    "conv2d": ("a link to /dev/zero", "character device"),
    "corr2d": ("a link to another workspace's solution", "outside"),
    "softmax": ("a FIFO", "FIFO"),
    "max_pool2d": ("a link to /dev/stdin, a pipe that stays open", "FIFO"),
    "activations": ("a 50 MB file", "larger than 1024 KiB"),
}


@requires_sandbox
def test_files_that_are_not_plain_files_get_zero_points_and_the_report_is_still_written(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys
    import time

    root_of_repo = Path(__file__).resolve().parent.parent
    tutor = [sys.executable, "-m", "tutor"]
    for name in ("ws", "other"):
        subprocess.run(
            [*tutor, "init", name, "--student", name], cwd=tmp_path, check=True, capture_output=True
        )
    ws, other = tmp_path / "ws" / "exercises", tmp_path / "other" / "exercises"
    shutil.copyfile(root_of_repo / "solutions" / "corr2d.py", other / "corr2d.py")
    for exercise_id in UNSAFE:
        (ws / f"{exercise_id}.py").unlink()
    (ws / "conv2d.py").symlink_to("/dev/zero")
    (ws / "corr2d.py").symlink_to(other / "corr2d.py")  # a full-marks file, but not this student's
    os.mkfifo(ws / "softmax.py")
    (ws / "max_pool2d.py").symlink_to("/dev/stdin")
    (ws / "activations.py").write_bytes(b"# padding\n" * (5 * 1024 * 1024))
    os.mkfifo(tmp_path / "ws" / "answers.toml")
    # A plain, correct file next to them is still graded.
    shutil.copyfile(root_of_repo / "solutions" / "conv_output_size.py", ws / "conv_output_size.py")

    started = time.monotonic()
    with subprocess.Popen(
        [*tutor, "grade", "--format", "json", "--output", str(tmp_path / "report.json")],
        cwd=tmp_path / "ws",
        stdin=subprocess.PIPE,  # /dev/stdin: a pipe that is never written to nor closed
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        try:
            _, err = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail("tutor grade blocked on a file that is not a plain file")
    assert process.returncode == 0, err.decode()
    assert time.monotonic() - started < 60
    report = json.loads((tmp_path / "report.json").read_text())
    grades = {e["id"]: e for e in report["exercises"]}
    for exercise_id, (made, says) in UNSAFE.items():
        grade = grades[exercise_id]
        assert (grade["status"], grade["points"], grade["sha256"]) == ("unsafe_file", 0.0, None), made
        assert says in grade["message"] and f"exercises/{exercise_id}.py" in grade["message"], grade[
            "message"
        ]
    for numeric in (e for e in report["exercises"] if e["kind"] == "numeric"):
        assert numeric["status"] == "unsafe_file" and numeric["points"] == 0
        assert "answers.toml is not read" in numeric["message"] and "FIFO" in numeric["message"]
    assert grades["conv_output_size"]["points"] == grades["conv_output_size"]["max_points"] > 0
    assert report["points"] == grades["conv_output_size"]["points"]


@requires_sandbox
def test_verify_does_not_block_on_a_fifo_or_read_outside_the_workspace(
    mixed, tmp_path: Path, fake_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace, report = mixed
    os.mkfifo(tmp_path / "report.json")
    monkeypatch.chdir(workspace.root)
    done = CliRunner().invoke(fake_cli, ["grade", "--verify", str(tmp_path / "report.json")])
    assert done.exit_code == 2 and "FIFO" in done.stderr
    # A forged report naming a file outside the workspace: it counts as missing, never read.
    (tmp_path / "secret.py").write_text("x = 1\n")
    recorded = {"files": {"../secret.py": file_digest(tmp_path / "secret.py")}, "student": workspace.student}
    copy = tmp_path / "copy" / "ws"
    shutil.copytree(workspace.root, copy)
    result = verify(recorded, dataclasses.replace(workspace, root=copy))
    assert not result.matches and "missing here" in result.problems[0]


# -- --output ----------------------------------------------------------------------------------------


@requires_sandbox
def test_output_is_written_whole_and_only_after_grading(
    fake_cli, mixed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tutor.grading.runner

    workspace, report = mixed
    monkeypatch.chdir(workspace.root)
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    out.write_text("the previous report\n")

    def crashing(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("the grader fell over half-way")

    monkeypatch.setattr(tutor.grading.runner, "grade_workspace", crashing)
    crashed = CliRunner().invoke(fake_cli, ["grade", "--format", "json", "--output", str(out)])
    assert crashed.exit_code == 3 and "fell over" in crashed.stderr
    assert out.read_text() == "the previous report\n"  # untouched: no half-written report
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.json"]  # no temporary file left

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        assert out.read_text() == "the previous report\n", "written before grading finished"
        return report

    monkeypatch.setattr(tutor.grading.runner, "grade_workspace", slow)
    for fmt in ("json", "table"):
        done = CliRunner().invoke(fake_cli, ["grade", "--format", fmt, "--output", str(out)])
        assert done.exit_code == 0, done.output
        assert sorted(p.name for p in out.parent.iterdir()) == ["report.json"]
        out.write_text("the previous report\n")
    done = CliRunner().invoke(fake_cli, ["grade", "--format", "json", "--output", str(out)])
    assert GradeReport.from_dict(json.loads(out.read_text())) == report


@requires_sandbox
def test_output_is_never_written_through_a_link_or_into_a_fifo(
    fake_cli, mixed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tutor.grading.runner

    workspace, _ = mixed
    monkeypatch.chdir(workspace.root)
    monkeypatch.setattr(
        tutor.grading.runner, "grade_workspace", lambda *a, **k: pytest.fail("graded for nothing")
    )
    victim = workspace.root / "exercises" / "double.py"
    before = victim.read_text()
    (tmp_path / "link.json").symlink_to(victim)
    os.mkfifo(tmp_path / "fifo.json")
    for target, says in (("link.json", "symbolic link"), ("fifo.json", "FIFO")):
        for args in (["--output", str(tmp_path / target)], ["--write", f"json:{tmp_path / target}"]):
            refused = CliRunner().invoke(fake_cli, ["grade", "--format", "json", *args])
            assert refused.exit_code == 2 and says in refused.stderr, refused.output
    assert victim.read_text() == before and (tmp_path / "link.json").is_symlink()


def test_write_report_refuses_links_replaces_a_late_one_and_never_leaves_half_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tutor.errors import UsageError
    from tutor.grading import output

    victim = tmp_path / "victim.py"
    victim.write_text("keep me\n")
    target = tmp_path / "report.json"
    target.symlink_to(victim)
    with pytest.raises(UsageError, match="symbolic link"):
        output.write_report(target, "report\n")
    assert victim.read_text() == "keep me\n" and target.is_symlink()

    # A link that appears after the check (a race) is replaced, never written through.
    target.unlink()
    real_check = output.check_target

    def racing(path: Path) -> None:
        real_check(path)
        path.symlink_to(victim)

    monkeypatch.setattr(output, "check_target", racing)
    output.write_report(target, "report\n")
    assert victim.read_text() == "keep me\n" and not target.is_symlink() and target.read_text() == "report\n"
    monkeypatch.setattr(output, "check_target", real_check)

    # A failure half-way (here: the disk refuses to sync) leaves the previous report as it was.
    def broken_disk(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_disk)
    with pytest.raises(OSError):
        output.write_report(target, "a new report\n")
    assert target.read_text() == "report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "victim.py"]  # no temporary left

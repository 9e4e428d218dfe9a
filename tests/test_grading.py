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

from tests.fake_course import SOLUTIONS, WRONG, fake_course
from tutor.grading import formats
from tutor.grading.report import GradeReport
from tutor.grading.runner import DEFAULT_SEED, grade_workspace
from tutor.grading.verify import read_provenance, verify
from tutor.workspace import Workspace, init_workspace

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
    return workspace, grade_workspace(workspace, fake_course())


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
    second = grade_workspace(workspace, fake_course())
    assert normalised(first).to_dict() == normalised(second).to_dict()


def test_grading_ignores_recorded_progress(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws", wrong=("double",))
    workspace.progress().record("double", "passed", None)  # a forged "passed" in the tutor's state
    report = grade_workspace(workspace, fake_course())
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
    from tutor.grading.runner import GradeOptions

    noisy = "import numpy as np\n\ndef double(x):\n    print('x' * 5000)\n    return 3 * x\n"
    workspace = make_workspace(tmp_path / "ws", sources={"double": noisy})
    report = grade_workspace(workspace, fake_course(), GradeOptions(feedback_chars=600))
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
    regraded = grade_workspace(workspace, fake_course())
    result = verify(recorded, workspace, regraded)
    assert not result.matches and any("relu" in p for p in result.problems)  # ...but the points are not


# -- the command -----------------------------------------------------------------------------------------


@pytest.fixture
def fake_cli(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    monkeypatch.setattr("tutor.cli.app.course", fake_course)
    from tutor.cli import cli

    return cli


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


def test_grade_table_shows_every_exercise(fake_cli, mixed, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace, _ = mixed
    monkeypatch.chdir(workspace.root)
    done = CliRunner().invoke(fake_cli, ["grade"], env={"COLUMNS": "160"})
    assert done.exit_code == 0, done.output
    for exercise_id in EXPECTED_POINTS:
        assert exercise_id in done.output
    assert "Total: 16.5 / 30 points" in done.output

"""Text renderings of a GradeReport, one function per `tutor grade --format`.

Each is a pure function of the report: no grading, no files, no printing.

- json:       the tool's own report (GradeReport.to_dict).
- gradescope: /autograder/results/results.json as Gradescope's autograder specification describes
              it: top-level score, execution_time, output, extra_data, and tests[] with name,
              number, score, max_score, status ("passed"/"failed"), output and visibility.
- classroom:  the JSON a GitHub Classroom grading-reporter runner step outputs (version 1, status
              pass/fail/error, max_score, tests[]), base64-encoded on one line, for $GITHUB_OUTPUT.
- classroom50: result.json as Classroom 50's wiki ("The result.json contract") describes it:
              schema "classroom50/result/v1", integer score and max-score (the sums of tests[]),
              tests[] rows {test-name, passed, score, max-score}, and the identity fields that the
              Classroom 50 runner passes in its environment (CLASSROOM, ASSIGNMENT, …).
- junit:      JUnit XML, one <testsuite> per exercise and one <testcase> per property.
- markdown:   a summary for $GITHUB_STEP_SUMMARY.
"""

from __future__ import annotations

import base64
import datetime
import json
import math
from collections.abc import Callable, Mapping
from xml.etree import ElementTree

from tutor.grading.report import GRADER_ERROR, ExerciseGrade, GradeReport, GradeStatus

TEXT_FORMATS = ("json", "gradescope", "classroom", "classroom50", "junit", "markdown")
FORMATS = ("table", *TEXT_FORMATS)
NOT_STARTED_STATUSES = ("not_implemented", "not_answered")


def _points(value: float) -> str:
    """12.0 -> '12', 4.5 -> '4.5'."""
    return f"{value:g}"


def _provenance(report: GradeReport) -> dict:
    """What --verify needs, carried inside formats that have room for extra data."""
    return {
        "tool": "cnn-tutor",
        "tool_version": report.tool_version,
        "course": report.course,
        "course_version": report.course_version,
        "student": report.student,
        "seed": report.seed,
        "isolation": report.isolation,
        "files": report.files(),
    }


def isolation_phrase(report: GradeReport) -> str:
    """How the student's code ran, in words: the same in every human-readable format."""
    return {
        "sandbox": "code run in the sandbox",
        "none": "code run WITHOUT a sandbox (--no-sandbox)",
    }.get(report.isolation, "isolation not recorded")


def to_json(report: GradeReport) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


# -- Gradescope --------------------------------------------------------------------------------------


def _gradescope_output(exercise: ExerciseGrade) -> str:
    lines = [exercise.feedback or exercise.message]
    if exercise.properties and not exercise.passed:
        lines += ["", "Points per property:"]
        lines += [
            f"  {_points(p.points)}/{_points(p.max_points)}  {p.name} ({p.status})"
            for p in exercise.properties
        ]
    return "\n".join(lines)


def to_gradescope(report: GradeReport) -> dict:
    tests = [
        {
            "name": f"{e.id}: {e.title}",
            "number": str(number),
            "score": e.points,
            "max_score": e.max_points,
            "status": "passed" if e.full_marks else "failed",
            "output": _gradescope_output(e),
            "visibility": "visible",
        }
        for number, e in enumerate(report.exercises, start=1)
    ]
    summary = f"cnn-tutor {report.tool_version} graded {len(report.exercises)} exercises of {report.course} {report.course_version}: {_points(report.points)}/{_points(report.max_points)} points."
    if report.status is GradeStatus.ERROR:
        summary += " The grader failed on some exercise(s); your instructor will re-grade them."
    if report.notes:
        summary += "\n\n" + "\n".join(report.notes)
    return {
        "score": report.points,
        "execution_time": round(report.seconds),
        "output": summary,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"cnn_tutor": _provenance(report)},
    }


def gradescope(report: GradeReport) -> str:
    return json.dumps(to_gradescope(report), indent=2, ensure_ascii=False) + "\n"


# -- GitHub Classroom ---------------------------------------------------------------------------------


def to_classroom(report: GradeReport) -> dict:
    tests = [
        {
            "name": f"{e.id}: {e.title}",
            "status": "error" if e.status == GRADER_ERROR else "pass" if e.full_marks else "fail",
            "score": e.points,
            "message": e.feedback or e.message,
            "test_code": f"tutor check {e.id}",
            "filename": e.file,
            "line_no": e.line or 0,
            "duration": e.seconds,
        }
        for e in report.exercises
    ]
    if report.status is GradeStatus.ERROR:
        status = "error"
    else:
        status = "pass" if all(e.full_marks for e in report.exercises) else "fail"
    return {"version": 1, "status": status, "max_score": report.max_points, "tests": tests}


def classroom(report: GradeReport) -> str:
    """Base64 of the runner JSON, on one line: `echo "result=$(…)" >> "$GITHUB_OUTPUT"` takes it as is."""
    raw = json.dumps(to_classroom(report), ensure_ascii=False).encode("utf-8")
    return base64.b64encode(raw).decode("ascii") + "\n"


# -- Classroom 50 -------------------------------------------------------------------------------------

CLASSROOM50_SCHEMA = "classroom50/result/v1"

CLASSROOM50_IDENTITY = (
    # result.json field -> the runner's environment variables that carry it, first found wins.
    ("classroom", ("CLASSROOM",)),
    ("assignment", ("ASSIGNMENT",)),
    ("assignment_type", ("ASSIGNMENT_TYPE",)),
    ("owner", ("OWNER", "USERNAME")),
    ("submission", ("SUBMISSION_TAG",)),
    ("commit", ("COMMIT_URL",)),
    ("release", ("RELEASE_URL",)),
    ("review", ("REVIEW_URL", "COMMIT_URL")),
)
"""Where each identity field of result.json comes from. Classroom 50 checks classroom, assignment
and owner against the student's repository itself, so a field is copied only when the runner set
it, and never guessed."""


def whole_points(points: float) -> int:
    """Classroom 50 counts whole points: partial credit is rounded down (4.5 -> 4, 5.999 -> 5).

    Rounding down never gives more than was earned, and full marks stay full marks because every
    exercise's maximum in the catalog is a whole number. The small tolerance keeps a sum such as
    1.5 + 1.5 + 3.0 stored as 5.999999 from losing a point.
    """
    return math.floor(points + 1e-6)


def _utc_timestamp(iso: str) -> str:
    """'2026-11-30T06:00:00+00:00' -> '2026-11-30T06:00:00Z' (the contract's form); '' stays ''."""
    try:
        moment = datetime.datetime.fromisoformat(iso)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_classroom50(report: GradeReport, environ: Mapping[str, str] | None = None) -> dict:
    """result.json for a Classroom 50 autograder. `environ`: the runner's environment (nothing
    is read from the process here: the CLI passes os.environ)."""
    environ = environ or {}
    tests = [
        {
            "test-name": f"{e.id}: {e.title}",
            "passed": e.full_marks,
            "score": whole_points(e.points),
            "max-score": whole_points(e.max_points),
        }
        for e in report.exercises
    ]
    result: dict = {"schema": CLASSROOM50_SCHEMA}
    for field, names in CLASSROOM50_IDENTITY:
        value = next((environ[name] for name in names if environ.get(name)), None)
        if value is not None:
            result[field] = value
    stamp = _utc_timestamp(report.graded_at)
    if stamp:
        result["datetime"] = stamp
    result["score"] = sum(t["score"] for t in tests)
    result["max-score"] = sum(t["max-score"] for t in tests)
    result["tests"] = tests
    return result


def classroom50(report: GradeReport, environ: Mapping[str, str] | None = None) -> str:
    return json.dumps(to_classroom50(report, environ), indent=2, ensure_ascii=False) + "\n"


# -- JUnit --------------------------------------------------------------------------------------------


def _xml_text(text: str) -> str:
    """XML 1.0 cannot hold most control characters, whatever the student's code printed."""
    return "".join(c if c in "\t\n\r" or ord(c) >= 0x20 else "\ufffd" for c in text)


def junit(report: GradeReport) -> str:
    root = ElementTree.Element("testsuites", name=f"cnn-tutor grade: {report.course} {report.course_version}")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for exercise in report.exercises:
        suite = ElementTree.SubElement(root, "testsuite", name=exercise.id, time=f"{exercise.seconds:.3f}")
        props = ElementTree.SubElement(suite, "properties")
        for key, value in (
            ("title", exercise.title),
            ("file", exercise.file),
            ("sha256", exercise.sha256 or ""),
            ("points", _points(exercise.points)),
            ("max_points", _points(exercise.max_points)),
            ("status", exercise.status),
            ("isolation", report.isolation),  # the run's: JUnit has no report-level properties
        ):
            ElementTree.SubElement(props, "property", name=key, value=_xml_text(value))
        # One testcase per property; a file that never got as far as its properties is one testcase.
        cases = [(p.name, p.passed, p.status) for p in exercise.properties] or [
            (exercise.title, exercise.passed, exercise.status)
        ]
        failures = errors = 0
        for name, passed, status in cases:
            case = ElementTree.SubElement(
                suite, "testcase", classname=exercise.id, name=_xml_text(name), time="0"
            )
            if passed:
                continue
            tag = "error" if status == GRADER_ERROR else "failure"
            errors += tag == "error"
            failures += tag == "failure"
            problem = ElementTree.SubElement(case, tag, message=_xml_text(exercise.message), type=status)
            problem.text = _xml_text(exercise.feedback or exercise.message)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        totals["tests"] += len(cases)
        totals["failures"] += failures
        totals["errors"] += errors
    for key, count in totals.items():
        root.set(key, str(count))
    root.set("time", f"{report.seconds:.3f}")
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


# -- Markdown -----------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(report: GradeReport) -> str:
    icon = {True: "✅", False: "❌"}
    lines = [
        f"## cnn-tutor grade: {_points(report.points)} / {_points(report.max_points)} points",
        "",
        "| | Exercise | Status | Points | Time |",
        "|---|---|---|---:|---:|",
    ]
    for e in report.exercises:
        lines.append(
            f"| {icon[e.full_marks]} | `{e.id}` {_cell(e.title)} | {e.status} | {_points(e.points)} / {_points(e.max_points)} | {e.seconds:.1f} s |"
        )
    failing = [e for e in report.exercises if not e.full_marks and e.status not in NOT_STARTED_STATUSES]
    if failing:
        lines += ["", "### Feedback", ""]
        for e in failing:
            feedback = (e.feedback or e.message).replace("```", "'''")
            lines += [
                f"<details><summary><code>{e.id}</code>: {e.status}</summary>",
                "",
                "```text",
                feedback,
                "```",
                "",
                "</details>",
                "",
            ]
    not_started = [e.id for e in report.exercises if e.status in NOT_STARTED_STATUSES]
    if not_started:
        lines += ["", f"Not started yet: {', '.join(f'`{i}`' for i in not_started)}."]
    if report.status is GradeStatus.ERROR:
        lines += ["", "**The grader failed on some exercise(s): tell your instructor.**"]
    for note in report.notes:
        lines += ["", f"> {_cell(note)}"]
    lines += [
        "",
        f"<sub>cnn-tutor {report.tool_version} · course {report.course} {report.course_version} · "
        f"student {report.student or 'unknown'} · seed {report.seed} · {isolation_phrase(report)} · "
        f"graded {report.graded_at} in {report.seconds:.1f} s</sub>",
        "",
    ]
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[GradeReport], str]] = {
    "json": to_json,
    "gradescope": gradescope,
    "classroom": classroom,
    "junit": junit,
    "markdown": markdown,
}
ENVIRONMENT_RENDERERS: dict[str, Callable[[GradeReport, Mapping[str, str] | None], str]] = {
    "classroom50": classroom50,
}
"""Formats that also carry what the CI runner says about the submission (its environment)."""


def render(report: GradeReport, fmt: str, environ: Mapping[str, str] | None = None) -> str:
    """`fmt` of `report`. `environ`: the CI runner's environment, for the formats that carry
    identity fields from it (classroom50); the others ignore it."""
    if fmt in ENVIRONMENT_RENDERERS:
        return ENVIRONMENT_RENDERERS[fmt](report, environ)
    try:
        return RENDERERS[fmt](report)
    except KeyError:
        raise ValueError(f"unknown grade format {fmt!r}; choose one of {', '.join(TEXT_FORMATS)}") from None

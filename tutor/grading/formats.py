"""Text renderings of a GradeReport, one function per `tutor grade --format`.

Each is a pure function of the report: no grading, no files, no printing.

- json:       the tool's own report (GradeReport.to_dict).
- gradescope: /autograder/results/results.json as Gradescope's autograder specification describes
              it: top-level score, execution_time, output, extra_data, and tests[] with name,
              number, score, max_score, status ("passed"/"failed"), output and visibility.
- classroom:  the JSON a GitHub Classroom grading-reporter runner step outputs (version 1, status
              pass/fail/error, max_score, tests[]), base64-encoded on one line, for $GITHUB_OUTPUT.
- junit:      JUnit XML, one <testsuite> per exercise and one <testcase> per property.
- markdown:   a summary for $GITHUB_STEP_SUMMARY.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from xml.etree import ElementTree

from tutor.grading.report import GRADER_ERROR, ExerciseGrade, GradeReport, GradeStatus

TEXT_FORMATS = ("json", "gradescope", "classroom", "junit", "markdown")
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


def render(report: GradeReport, fmt: str) -> str:
    try:
        return RENDERERS[fmt](report)
    except KeyError:
        raise ValueError(f"unknown grade format {fmt!r}; choose one of {', '.join(TEXT_FORMATS)}") from None

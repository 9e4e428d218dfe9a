"""Rich renderings for the terminal: the grade table and the class summary. Data in, renderables out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tutor.grading.formats import NOT_STARTED_STATUSES, isolation_phrase
from tutor.grading.report import GradeReport, GradeStatus

if TYPE_CHECKING:
    from tutor.grading.classgrade import ClassSummary
    from tutor.grading.verify import Verification


def _points(value: float) -> str:
    return f"{value:g}"


def grade_table(report: GradeReport) -> RenderableType:
    who = f" · student {report.student}" if report.student else ""
    if report.assignment:
        who += f" · assignment {report.assignment}"
    table = Table(title=f"{report.course} {report.course_version}{who}", title_justify="left")
    table.add_column("Exercise", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Points", justify="right")
    table.add_column("Time", justify="right")
    table.add_column("Feedback")
    for e in report.exercises:
        style = "green" if e.full_marks else "yellow" if e.points > 0 else "red"
        mark = "✓" if e.full_marks else "✗"
        message = "" if e.full_marks else "not started" if e.status in NOT_STARTED_STATUSES else e.message
        table.add_row(
            e.id,
            Text(f"{mark} {e.status}", style=style),
            f"{_points(e.points)} / {_points(e.max_points)}",
            f"{e.seconds:.1f} s",
            Text(message, overflow="fold"),
        )
    total = Text(f"Total: {_points(report.points)} / {_points(report.max_points)} points", style="bold")
    footer = Text(
        f"cnn-tutor {report.tool_version} · seed {report.seed} · {isolation_phrase(report)} · "
        f"{report.seconds:.1f} s. "
        "`tutor check ID` shows the full feedback of one exercise.",
        style="dim",
    )
    parts: list[RenderableType] = [table, total, footer]
    if report.status is GradeStatus.ERROR:
        parts.append(Text("The grader itself failed on some exercise(s): see the table.", style="bold red"))
    return Group(*parts)


def verification(result: Verification, report_name: str) -> RenderableType:
    lines = []
    if result.matches:
        lines.append(Text(f"✓ {report_name} matches these files ({result.checked} compared).", style="green"))
    else:
        lines.append(Text(f"✗ {report_name} does not match these files:", style="bold red"))
        lines += [Text(f"  - {problem}", style="red") for problem in result.problems]
    lines += [Text(f"  note: {note}", style="dim") for note in result.notes]
    return Group(*lines)


def class_summary(summary: ClassSummary) -> RenderableType:
    parts: list[RenderableType] = []
    head = Text(
        f"Graded {summary.graded} of {summary.submissions} submissions"
        + (f"; {summary.errors} could not be graded" if summary.errors else "")
        + f" in {summary.seconds:.1f} s.",
        style="bold",
    )
    parts.append(head)
    if summary.totals:
        parts.append(
            Text(
                f"Totals out of {_points(summary.max_points)}: mean {summary.mean:.1f}, median {summary.median:g}, "
                f"min {summary.minimum:g}, max {summary.maximum:g}"
            )
        )
        histogram = Table(title="Distribution of totals", title_justify="left", box=None)
        histogram.add_column("Points", justify="right")
        histogram.add_column("Students", justify="right")
        histogram.add_column("")
        widest = max((count for _, count in summary.histogram), default=0) or 1
        for label, count in summary.histogram:
            histogram.add_row(label, str(count), Text("█" * round(20 * count / widest), style="cyan"))
        parts.append(histogram)
    if summary.most_failed:
        failed = Table(title="Most often not full marks", title_justify="left", box=None)
        failed.add_column("Exercise")
        failed.add_column("Students", justify="right")
        for exercise_id, count in summary.most_failed:
            failed.add_row(exercise_id, f"{count} / {summary.graded}")
        parts.append(failed)
    for directory, status, message in summary.problems:
        parts.append(Text(f"{status}: {directory}: {message}", style="red"))
    return Group(*parts)


def plain_text(renderable: RenderableType, width: int = 120) -> str:
    """A renderable as plain text (no colour), e.g. the grade table written to a file."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    Console(file=buffer, width=width, no_color=True, highlight=False).print(renderable)
    return buffer.getvalue()

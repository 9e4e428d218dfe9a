"""Rich renderings of the core's objects. Nothing here computes a verdict or touches files it did not get."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.panel import Panel
from rich.rule import Rule
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from tutor.catalog import Course, Exercise
from tutor.core import ExerciseRow
from tutor.workspace import ExerciseState

if TYPE_CHECKING:
    from tutor.checking.result import CheckResult, Counterexample, PropertyResult
    from tutor.questions import AnswerResult

STATE_STYLE = {
    ExerciseState.NOT_STARTED: "dim",
    ExerciseState.FAILING: "red",
    ExerciseState.DONE: "green",
    ExerciseState.CHANGED: "yellow",
}
STATE_MARK = {
    ExerciseState.NOT_STARTED: "·",
    ExerciseState.FAILING: "✗",
    ExerciseState.DONE: "✓",
    ExerciseState.CHANGED: "~",
}


def course_table(course: Course, rows: list[ExerciseRow], next_id: str | None) -> Table:
    table = Table(title=f"{course.name} {course.version}", title_justify="left", expand=False)
    table.add_column("Session", justify="right")
    table.add_column("Topic")
    table.add_column("Exercise", no_wrap=True)
    table.add_column("Title")
    table.add_column("Status", no_wrap=True)
    table.add_column("Points", justify="right")
    previous_topic = None
    for row in rows:
        exercise = row.exercise
        topic = course.topic(exercise.topic)
        marker = " ←" if exercise.id == next_id else ""
        table.add_row(
            str(exercise.session),
            topic.title if topic.id != previous_topic else "",
            Text(exercise.id + marker, style="bold" if marker else ""),
            exercise.title,
            Text(f"{STATE_MARK[row.state]} {row.state}", style=STATE_STYLE[row.state]),
            str(exercise.points),
        )
        previous_topic = topic.id
    return table


def statement(course: Course, exercise: Exercise, file_hint: str | None = None, text: str | None = None) -> RenderableType:
    """The lesson, then the statement (`text` overrides the file: a numeric question filled with the student's numbers)."""
    topic = course.topic(exercise.topic)
    parts: list[RenderableType] = []
    lesson_path = topic.lesson_path()
    if lesson_path.is_file():
        parts.append(Panel(Markdown(lesson_path.read_text(encoding="utf-8")), title=f"Lesson · {topic.title}", border_style="blue"))
    if text is None:
        text = exercise.statement_path().read_text(encoding="utf-8") if exercise.statement_path().is_file() else f"# {exercise.title}"
    parts.append(Markdown(text))
    footer = Text()
    footer.append(f"\nSession {exercise.session} · {topic.title} · {exercise.points} points\n", style="dim")
    footer.append(f"Reference: {exercise.reference}", style="dim")
    if topic.references:
        footer.append(f"  ·  Lesson: {'; '.join(topic.references)}", style="dim")
    parts.append(footer)
    if file_hint:
        parts.append(next_steps(exercise, file_hint))
    return Group(*parts)


def next_steps(exercise: Exercise, file_hint: str) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    if exercise.is_code:
        grid.add_row(Text("Edit", style="bold"), Text(file_hint, style="cyan"))
        grid.add_row(Text("Check", style="bold"), Text(f"tutor check {exercise.id}", style="cyan"))
    else:
        grid.add_row(Text("Answer", style="bold"), Text(f"tutor answer {exercise.id} VALUE", style="cyan"))
    grid.add_row(Text("Hint", style="bold"), Text(f"tutor hint {exercise.id}", style="cyan"))
    return Panel(grid, title="Next", border_style="cyan", expand=False)


def hints(exercise: Exercise, shown: list[str]) -> RenderableType:
    if not shown:
        return Text(f"{exercise.id} has no hints. Read it again with `tutor show {exercise.id}`.")
    table = Table.grid(padding=(0, 1))
    for level, hint in enumerate(shown, start=1):
        table.add_row(Text(f"{level}.", style="bold yellow"), Markdown(hint))
    remaining = len(exercise.hints) - len(shown)
    more = f"{remaining} more: run `tutor hint {exercise.id}` again" if remaining else "that was the last hint"
    return Panel(table, title=f"Hints for {exercise.id} ({more})", border_style="yellow", expand=False)


def check_result(result: CheckResult) -> RenderableType:
    if result.passed:
        return Panel(Text(result.message), title=f"✓ {result.exercise} passed", border_style="green", expand=False)
    failure = result.first_failure()
    shape_words = _shape_words(failure)
    headline = f"In {result.file}, {shape_words}" if shape_words else result.message
    parts: list[RenderableType] = [Text(headline, style="bold")]
    line = result.detail.get("line")
    if line and result.detail.get("text"):
        parts.append(Text(f"  line {line}: {result.detail['text']}", style="yellow"))
    if failure is not None:
        parts.extend(_property_details(failure))
    if len(result.properties) > 1:
        parts.append(_property_summary(result))
    if result.output:
        cut = "  (truncated)" if result.output_truncated else ""
        parts.append(Rule(f"your code printed{cut}", style="dim"))
        parts.append(Text(result.output[-2000:], style="dim"))
    title = f"✗ {result.exercise}: {result.status}"
    return Panel(Group(*parts), title=title, border_style="red")


def _property_details(failure: PropertyResult) -> list[RenderableType]:
    parts: list[RenderableType] = []
    example = failure.counterexample
    if failure.diagnosis:
        parts.append(Panel(Text(failure.diagnosis), title="Likely misconception", border_style="magenta", expand=False))
    if example is None:
        return parts
    parts.append(Rule("smallest failing input", style="dim"))
    parts.append(Text(f"property: {failure.name}", style="dim"))
    parts.append(Text(example.call, style="cyan"))
    args = Table.grid(padding=(0, 2))
    for name, shown in example.arguments.items():
        args.add_row(Text(name, style="bold"), Text(shown))
    parts.append(args)
    visual = _diff_view(example, with_shape_words=False)
    if visual is not None:
        parts.append(Rule("expected vs yours", style="dim"))
        parts.append(visual)
    elif example.expected is not None or example.got is not None:
        side = Table(show_header=True, header_style="bold", box=None, padding=(0, 3))
        side.add_column("expected", style="green")
        side.add_column("got", style="red")
        side.add_row(example.expected or "", example.got or "")
        parts.append(side)
    if example.worst_index is not None and example.worst_error is not None:
        parts.append(
            Text(
                f"worst at index {example.worst_index}: expected {example.expected_at_worst:.6g}, "
                f"got {example.got_at_worst:.6g} (error {example.worst_error:.3g}); tolerance {example.tolerance}",
                style="yellow",
            )
        )
    parts.append(Rule("reproduce it in Python", style="dim"))
    parts.append(Syntax(example.reproduce, "python", theme="ansi_dark", background_color="default"))
    return parts


def _shape_words(failure: PropertyResult | None) -> str | None:
    """'your output is (1, 2, 3, 3), expected (1, 2, 4, 4): height 3 vs 4 — check …' for a wrong shape."""
    example = failure.counterexample if failure else None
    if example is None or example.expected_shape is None or example.got_shape is None:
        return None
    if tuple(example.expected_shape) == tuple(example.got_shape):
        return None
    from tutor.diff_view import shape_sentence

    return shape_sentence(tuple(example.expected_shape), tuple(example.got_shape), example.shape_explanation)


def _diff_view(example: Counterexample, with_shape_words: bool = True) -> RenderableType | None:
    if example.expected_values is None and example.got_shape is None:
        return None
    from tutor.diff_view import diff_view  # numpy: only once there is a failure to draw

    return diff_view(example, with_shape_words)


def _property_summary(result: CheckResult) -> Table:
    table = Table(title="properties", title_justify="left", box=None)
    table.add_column("property")
    table.add_column("status")
    table.add_column("inputs", justify="right")
    for prop in result.properties:
        table.add_row(prop.name, Text(str(prop.status), style="green" if prop.passed else "red"), str(prop.examples))
    return table


def answer_result(result: AnswerResult) -> RenderableType:
    """The verdict on one answer to a numeric question, and what to do next."""
    body = Text()
    body.append(f"{result.part}: {result.prompt}\n", style="dim")
    body.append(f"Your answer: {result.value:,}\n")
    if result.correct:
        body.append("Right.", style="bold green")
    else:
        body.append("Not right yet.", style="bold red")
        if result.hint:
            body.append(f"\n{result.hint}", style="yellow")
    if result.done:
        body.append(f"\n\nEvery part of {result.question} is right. Run `tutor next` for what comes next.", style="green")
    elif result.next_part is not None and result.next_part.name == result.part:
        body.append(f"\n\nTry again: tutor answer {result.question} VALUE", style="cyan")
        body.append(f"\n(or answer another part first: tutor answer {result.question} VALUE --part NAME)", style="dim")
    elif result.next_part is not None:
        body.append(f"\n\nNext part, {result.next_part.name}: {result.next_part.prompt}\n", style="cyan")
        body.append(f"  tutor answer {result.question} VALUE", style="cyan")
    body.append(f"\n(recorded in {result.answers_file})", style="dim")
    mark, style = ("✓", "green") if result.correct else ("✗", "red")
    return Panel(body, title=f"{mark} {result.question} · {result.part}", border_style=style, expand=False)

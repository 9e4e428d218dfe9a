"""Rich renderings of the core's objects. Nothing here computes a verdict or touches files it did not get."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.markdown import Markdown
from rich.panel import Panel
from rich.rule import Rule
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from tutor.catalog import Course, Exercise
from tutor.core import ExerciseRow, Solution
from tutor.workspace import ExerciseState

if TYPE_CHECKING:
    from tutor.checking.result import CheckResult, Counterexample, PropertyResult
    from tutor.doctor import Finding
    from tutor.previews import Preview
    from tutor.questions import AnswerResult
    from tutor.watch import WatchView

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


STATE_LABEL = {
    ExerciseState.NOT_STARTED: "to do",
    ExerciseState.FAILING: "failing",
    ExerciseState.DONE: "done",
    ExerciseState.CHANGED: "changed",
}
"""Short status words for tables (ExerciseState's own text is the long form, e.g. in --json)."""
WIDE_COLUMNS = 110
"""From this width on a terminal, tables add a Topic column."""


def state_text(state: ExerciseState) -> Text:
    return Text(f"{STATE_MARK[state]} {STATE_LABEL[state]}", style=STATE_STYLE[state])


def done_count(rows: list[ExerciseRow]) -> int:
    return sum(row.state is ExerciseState.DONE for row in rows)


class CourseTable:
    """Every exercise, numbered, one table per session. Adds a Topic column only on a wide terminal."""

    def __init__(self, course: Course, rows: list[ExerciseRow], next_id: str | None) -> None:
        self.course, self.rows, self.next_id = course, rows, next_id

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = console.is_terminal and options.max_width >= WIDE_COLUMNS
        done = done_count(self.rows)
        earned = sum(row.exercise.points for row in self.rows if row.state is ExerciseState.DONE)
        total = sum(row.exercise.points for row in self.rows)
        yield Text.assemble(
            (f"{self.course.name} {self.course.version}", "bold"),
            (f"  ·  {done}/{len(self.rows)} done  ·  {earned}/{total} points", "dim"),
        )
        id_width = max((len(row.exercise.id) for row in self.rows), default=8)
        for session in self.course.sessions:
            rows = [row for row in self.rows if row.exercise.session == session.number]
            if not rows:
                continue
            table = Table(
                title=f"Session {session.number} · {session.title}",
                title_justify="left",
                title_style="bold cyan",
                box=box.SIMPLE_HEAD,
                show_edge=False,
                expand=True,
                pad_edge=False,
                padding=(0, 1),
            )
            table.add_column("#", justify="right", style="dim", width=4)
            table.add_column("Exercise", no_wrap=True, width=id_width)
            table.add_column("Title", ratio=1, no_wrap=not wide, overflow="ellipsis")
            if wide:
                table.add_column("Topic", ratio=1, style="dim")
            table.add_column("Status", no_wrap=True, width=9)
            table.add_column("Pts", justify="right", width=3)
            for row in rows:
                exercise = row.exercise
                is_next = exercise.id == self.next_id
                cells: list[RenderableType] = [
                    Text(f"→ {exercise.order + 1}", style="bold cyan")
                    if is_next
                    else str(exercise.order + 1),
                    Text(exercise.id, style="bold" if is_next else ""),
                    exercise.title,
                ]
                if wide:
                    cells.append(self.course.topic(exercise.topic).title)
                cells += [state_text(row.state), str(exercise.points)]
                table.add_row(*cells)
            yield table


def course_table(course: Course, rows: list[ExerciseRow], next_id: str | None) -> RenderableType:
    return CourseTable(course, rows, next_id)


def statement(
    course: Course, exercise: Exercise, file_hint: str | None = None, text: str | None = None
) -> RenderableType:
    """The lesson, then the statement (`text` overrides the file: a numeric question filled with the student's numbers)."""
    topic = course.topic(exercise.topic)
    parts: list[RenderableType] = []
    lesson_path = topic.lesson_path()
    if lesson_path.is_file():
        parts.append(
            Panel(
                Markdown(lesson_path.read_text(encoding="utf-8")),
                title=f"Lesson · {topic.title}",
                border_style="blue",
            )
        )
    if text is None:
        text = (
            exercise.statement_path().read_text(encoding="utf-8")
            if exercise.statement_path().is_file()
            else f"# {exercise.title}"
        )
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


def preview(shown: Preview) -> RenderableType:
    """An exercise's pictures side by side (as many per row as fit), then its notes."""
    from rich.columns import Columns

    parts: list[RenderableType] = [Columns(list(shown.pictures), padding=(1, 3))]
    parts += [Text(note, style="dim") for note in shown.notes]
    return Panel(Group(*parts), title=shown.title, border_style="blue", expand=False)


def next_steps(exercise: Exercise, file_hint: str) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    if exercise.is_code:
        grid.add_row(Text("Edit", style="bold"), Text(file_hint, style="cyan"))
        grid.add_row(Text("Check", style="bold"), Text(f"tutor check {exercise.id}", style="cyan"))
        grid.add_row(
            Text("Watch", style="bold"),
            Text.assemble(("tutor watch", "cyan"), ("  re-checks every time you save", "dim")),
        )
    else:
        grid.add_row(Text("Answer", style="bold"), Text(f"tutor answer {exercise.id} VALUE", style="cyan"))
    grid.add_row(Text("Hint", style="bold"), Text(f"tutor hint {exercise.id}", style="cyan"))
    return Panel(grid, title="Next", border_style="cyan", expand=False)


def notebook_steps(exercise: Exercise) -> RenderableType:
    """next_steps inside Jupyter: the `%tutor` magics instead of the terminal's commands."""
    grid = Table.grid(padding=(0, 2))
    if exercise.is_code:
        names = ", ".join(exercise.functions)
        grid.add_row(Text("Write", style="bold"), Text(f"{names} in a cell of this notebook", style="cyan"))
        grid.add_row(Text("Check", style="bold"), Text(f"%tutor check {exercise.id}", style="cyan"))
    else:
        grid.add_row(Text("Answer", style="bold"), Text(f"tutor answer {exercise.id} VALUE", style="cyan"))
    grid.add_row(Text("Hint", style="bold"), Text(f"%tutor hint {exercise.id}", style="cyan"))
    return Panel(grid, title="Next", border_style="cyan", expand=False)


def notebook_after_check(exercise: Exercise, passed: bool) -> RenderableType:
    if passed:
        return Text.assemble("Next: ", ("%tutor next", "cyan"))
    return Text.assemble("Stuck? ", (f"%tutor hint {exercise.id}", "cyan"))


def hints(exercise: Exercise, shown: list[str], again: str | None = None) -> RenderableType:
    """The hint levels shown so far; `again` says how to get the next one (default: the hint command)."""
    if not shown:
        return Text(f"{exercise.id} has no hints. Read it again with `tutor show {exercise.id}`.")
    table = Table.grid(padding=(0, 1))
    for level, hint in enumerate(shown, start=1):
        table.add_row(Text(f"{level}.", style="bold yellow"), Markdown(hint))
    remaining = len(exercise.hints) - len(shown)
    again = again or f"run `tutor hint {exercise.id}` again"
    more = f"{remaining} more: {again}" if remaining else "that was the last hint"
    return Panel(table, title=f"Hints for {exercise.id} ({more})", border_style="yellow", expand=False)


def solution(shown: Solution) -> RenderableType:
    """The reference solution, read-only: to compare with yours, not to paste over it."""
    code = Syntax(shown.text, "python", theme="ansi_dark", background_color="default", line_numbers=True)
    note = Text(f"Read from {shown.path}; your {shown.exercise.relative_file()} is unchanged.", style="dim")
    return Group(
        Panel(code, title=f"Reference solution · {shown.exercise.id}", border_style="green"),
        note,
    )


def check_result(result: CheckResult) -> RenderableType:
    if result.passed:
        return Panel(
            Group(Text(result.message), *_series(result)),
            title=f"✓ {result.exercise} passed",
            border_style="green",
            expand=False,
        )
    failure = result.first_failure()
    shape_words = _shape_words(failure)
    headline = f"In {result.file}, {shape_words}" if shape_words else result.message
    parts: list[RenderableType] = [Text(headline, style="bold")]
    line = result.detail.get("line")
    if line and result.detail.get("text"):
        parts.append(Text(f"  line {line}: {result.detail['text']}", style="yellow"))
    if failure is not None:
        parts.extend(_property_details(failure))
    parts.extend(_series(result))
    # A table of identical rows (e.g. every function of a stub still not implemented) says nothing.
    if len(result.properties) > 1 and len({p.status for p in result.properties}) > 1:
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
        parts.append(
            Panel(Text(failure.diagnosis), title="Likely misconception", border_style="magenta", expand=False)
        )
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
    if example.reproduce_file:
        lines = example.reproduce.count("\n") + 1
        parts.append(Text(REPRODUCE_SAVED.format(lines=lines, path=example.reproduce_file)))
    else:
        # Never cropped: every line of the snippet fits in 80 columns (tutor.checking.reproduce).
        parts.append(
            Syntax(example.reproduce, "python", theme="ansi_dark", background_color="default", word_wrap=True)
        )
    return parts


def _series(result: CheckResult) -> list[RenderableType]:
    """Every property's number series (e.g. a training run's loss) as a picture, pass or fail."""
    series = [(name, values) for prop in result.properties for name, values in (prop.series or {}).items()]
    if not series:
        return []
    from tutor.pictures import series_picture  # numpy: only when there is a series to draw

    pictures: list[RenderableType] = [series_picture(name, values) for name, values in series]
    return [Text(""), *pictures]


REPRODUCE_SAVED = "The snippet is {lines} lines long, so it is saved in {path}: run `python {path}`."


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
        table.add_row(
            prop.name, Text(str(prop.status), style="green" if prop.passed else "red"), str(prop.examples)
        )
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
        body.append(
            f"\n\nEvery part of {result.question} is right. Run `tutor next` for what comes next.",
            style="green",
        )
    elif result.next_part is not None and result.next_part.name == result.part:
        body.append(f"\n\nTry again: tutor answer {result.question} VALUE", style="cyan")
        body.append(
            f"\n(or answer another part first: tutor answer {result.question} VALUE --part NAME)", style="dim"
        )
    elif result.next_part is not None:
        body.append(f"\n\nNext part, {result.next_part.name}: {result.next_part.prompt}\n", style="cyan")
        body.append(f"  tutor answer {result.question} VALUE", style="cyan")
    body.append(f"\n(recorded in {result.answers_file})", style="dim")
    mark, style = ("✓", "green") if result.correct else ("✗", "red")
    return Panel(body, title=f"{mark} {result.question} · {result.part}", border_style=style, expand=False)


# -- the dashboard (bare `tutor`), the finished course and the watch screen -----------------------------


def session_progress(course: Course, rows: list[ExerciseRow], bar_width: int = 24) -> Table:
    """One progress bar per session: done / total (plain characters, so it reads without colour too)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, justify="right")
    for session in course.sessions:
        mine = [row for row in rows if row.exercise.session == session.number]
        if not mine:
            continue
        done = done_count(mine)
        filled = round(bar_width * done / len(mine))
        bar = Text.assemble(("█" * filled, "green"), ("░" * (bar_width - filled), "dim"))
        grid.add_row(Text(f"Session {session.number}", style="bold"), bar, Text(f"{done}/{len(mine)} done"))
    return grid


def points_estimate(rows: list[ExerciseRow]) -> tuple[int, int]:
    """Points of the exercises whose last recorded check passed, and the course total (not a grade)."""
    earned = sum(row.exercise.points for row in rows if row.state is ExerciseState.DONE)
    return earned, sum(row.exercise.points for row in rows)


def suggested_command(exercise: Exercise, state: ExerciseState) -> tuple[str, str]:
    """The most useful next command for this exercise in this state, and why."""
    if not exercise.is_code:
        if state is ExerciseState.NOT_STARTED:
            return "tutor next", "read the question"
        return f"tutor answer {exercise.id} VALUE", "answer it (tutor show to read it again)"
    if state is ExerciseState.NOT_STARTED:
        return "tutor next", "read the exercise, then edit its file"
    if state is ExerciseState.CHANGED:
        return f"tutor check {exercise.id}", "your file changed since it passed: check it again"
    return "tutor watch", "re-checks every time you save, with hints on a key press"


def dashboard(course: Course, rows: list[ExerciseRow], upcoming: Exercise | None) -> RenderableType:
    """What bare `tutor` shows: progress by session, the next exercise and the command to run."""
    if upcoming is None:
        return course_done(course, rows)
    parts: list[RenderableType] = [
        Text.assemble(
            (f"{course.name} {course.version}", "bold"),
            (f"  ·  {done_count(rows)}/{len(rows)} exercises done", "dim"),
        ),
        session_progress(course, rows),
        Text(""),
    ]
    state = next(row.state for row in rows if row.exercise.id == upcoming.id)
    command, why = suggested_command(upcoming, state)
    nxt = Table.grid(padding=(0, 2))
    nxt.add_row(Text("Next", style="bold"), Text.assemble((upcoming.id, "bold"), f"  {upcoming.title}"))
    status = Text(STATE_LABEL[state], style=STATE_STYLE[state])
    nxt.add_row(
        Text(""),
        Text(f"Session {upcoming.session} · {upcoming.points} points · status: ", style="dim").append_text(
            status
        ),
    )
    nxt.add_row(Text("Run", style="bold"), Text.assemble((command, "bold cyan"), (f"  — {why}", "dim")))
    parts.append(Panel(nxt, border_style="cyan", expand=False))
    parts.append(Text("All exercises: tutor list  ·  help: tutor --help", style="dim"))
    return Group(*parts)


def course_done(
    course: Course, rows: list[ExerciseRow], grade: RenderableType | None = None
) -> RenderableType:
    """The whole course passes: say so with style, and show the grade (or an estimate from recorded checks)."""
    earned, total = points_estimate(rows)
    body = Table.grid(padding=(0, 1))
    body.add_row(Text("★ ★ ★  You finished the course  ★ ★ ★", style="bold yellow", justify="center"))
    body.add_row(Text(f"All {len(rows)} exercises of {course.name} {course.version} pass.", justify="center"))
    body.add_row(session_progress(course, rows))
    if grade is None:
        grade = Text.assemble(
            ("Grade (estimate): ", "bold"),
            (f"{earned}/{total} points", "bold green"),
            ("\nfrom your recorded checks. Run ", "dim"),
            ("tutor grade", "cyan"),
            (" for the grade that counts: it re-checks every exercise.", "dim"),
        )
    body.add_row(grade)
    return Panel(body, title="cnn-tutor", border_style="green", expand=False, padding=(1, 4))


def watch_footer(view: WatchView) -> Text:
    from tutor.watch import KEYS

    footer = Text()
    if view.file:
        footer.append(f"watching {view.file} for changes\n", style="dim")
    for key, action in KEYS.items():
        footer.append(f" {key} ", style="bold reverse")
        footer.append(f" {action}  ")
    return footer


def watch_list(view: WatchView) -> RenderableType:
    current = view.exercise.id if view.exercise else None
    prompt = Text.assemble(
        ("Jump to exercise number: ", "bold"),
        (view.typed or "_", "bold cyan"),
        ("   Enter to go, Esc to close", "dim"),
    )
    return Group(course_table(view.course, view.rows, current), prompt)


def watch_screen(view: WatchView) -> RenderableType:
    """The whole watch screen: where you are, the verdict, hints or the list, and the keys."""
    parts: list[RenderableType] = []
    done = done_count(view.rows)
    header = Text.assemble(
        ("tutor watch", "bold"),
        (f"  ·  {done}/{len(view.rows)} done", "dim"),
        no_wrap=True,
        overflow="ellipsis",
    )
    if view.exercise is not None:
        header.append(f"  ·  {view.exercise.id}", style="bold cyan")
        header.append(f"  {view.exercise.title}", style="dim")
    parts.append(header)
    if view.listing:
        parts.append(watch_list(view))
    elif view.exercise is None:
        parts.append(course_done(view.course, view.rows))
    elif view.error is not None:
        body = Text(view.error.message, style="bold")
        if view.error.hint:
            body.append("\n" + view.error.hint, style="yellow")
        parts.append(Panel(body, title=f"✗ {view.exercise.id}", border_style="red"))
    elif not view.exercise.is_code:
        parts.append(watch_question(view))
    elif view.result is not None:
        parts.append(check_result(view.result))
        if view.result.passed:
            parts.append(
                Text.assemble(
                    ("Press ", "bold green"),
                    (" n ", "bold reverse"),
                    (" for the next exercise.", "bold green"),
                )
            )
        else:
            parts.append(Text("Save your file to check again; press h for a hint.", style="dim"))
    if view.hints and not view.listing and view.exercise is not None:
        parts.append(hints(view.exercise, view.hints, again="press h again"))
    if view.note:
        parts.append(Text(view.note, style="yellow"))
    parts.append(watch_footer(view))
    return Group(*parts)


def watch_question(view: WatchView) -> RenderableType:
    assert view.exercise is not None
    exercise = view.exercise
    if view.state is ExerciseState.DONE:
        return Text.assemble(
            (f"✓ {exercise.id} answered right. ", "bold green"),
            "Press ",
            (" n ", "bold reverse"),
            " for the next exercise.",
        )
    body = Text.assemble(
        f"{exercise.id} is a numeric question. Read it with ",
        (f"tutor show {exercise.id}", "cyan"),
        " and answer in another terminal with ",
        (f"tutor answer {exercise.id} VALUE", "cyan"),
        ": this screen follows your answers.",
    )
    if any(part.given is not None for part in view.parts):
        body.append("\n")
        for part in view.parts:
            body.append("\n")
            if part.given is None:
                body.append(f"· {part.name}: not answered yet", style="dim")
            elif part.correct:
                body.append(f"✓ {part.name}: {part.given:,} is right", style="green")
            else:
                body.append(f"✗ {part.name}: {part.given:,} is not right yet", style="bold red")
                body.append(f"  (tutor answer {exercise.id} VALUE --part {part.name})", style="dim")
    return Panel(
        body,
        title=f"{exercise.id}: {STATE_LABEL[view.state]}",
        border_style="yellow" if view.state is ExerciseState.FAILING else "cyan",
    )


def doctor_report(findings: list[Finding], note: str = "") -> RenderableType:
    """One line per check; each problem with the command that fixes it."""
    from tutor.doctor import Level

    marks = {Level.OK: ("✓", "green"), Level.WARNING: ("!", "yellow"), Level.PROBLEM: ("✗", "bold red")}
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, style="bold")
    table.add_column()
    for finding in findings:
        mark, style = marks[finding.level]
        detail = Text(finding.detail)
        if finding.fix and finding.level is not Level.OK:
            detail.append("\n  fix: ", style="dim")
            detail.append(finding.fix, style="cyan")
        table.add_row(Text(mark, style=style), finding.name, detail)
    problems = sum(f.level is Level.PROBLEM for f in findings)
    warnings = sum(f.level is Level.WARNING for f in findings)
    if problems:
        summary = Text(
            f"{problems} problem{'s' if problems != 1 else ''} to fix: run the commands above, then `tutor doctor` again.",
            style="bold red",
        )
    else:
        summary = Text(
            "Everything is ready."
            + (f" ({warnings} warning{'s' if warnings != 1 else ''})" if warnings else ""),
            style="bold green",
        )
    parts: list[RenderableType] = [Text("tutor doctor", style="bold"), table, summary]
    if note:
        parts.append(Text(note, style="dim"))
    return Group(*parts)

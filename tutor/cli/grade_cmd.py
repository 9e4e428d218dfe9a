from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from tutor.cli.app import Application, pass_app
from tutor.grading.formats import FORMATS, TEXT_FORMATS

FAIL_UNDER = "{points:g} points is under --fail-under {threshold:g}."
GRADER_BROKE = "The grader itself failed on: {exercises}. The report was still written; re-run with --debug, or tell the course staff."


def _write_spec(value: str) -> tuple[str, Path]:
    fmt, sep, file = value.partition(":")
    if not sep or fmt not in TEXT_FORMATS or not file:
        raise click.BadParameter(
            f"expected FORMAT:FILE with FORMAT one of {', '.join(TEXT_FORMATS)}, got {value!r}"
        )
    return fmt, Path(file)


def _terminate(signum: int, frame: object) -> None:
    # grade-class stops a submission that runs too long with SIGTERM: unwinding (instead of dying
    # at once) lets every running check stop its worker process group on the way out.
    sys.exit(128 + signum)


@click.command("grade")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="What to print (or write with --output).",
)
@click.option(
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the chosen format to FILE instead of printing it.",
)
@click.option(
    "--write",
    "extra",
    multiple=True,
    metavar="FORMAT:FILE",
    help="Also write another format from the same grading, e.g. --write markdown:summary.md (repeatable).",
)
@click.option(
    "--fail-under",
    type=float,
    default=None,
    metavar="POINTS",
    help="Exit 1 when the total is under POINTS (grading itself still succeeded).",
)
@click.option(
    "--seed", type=int, default=None, help="Hypothesis seed (default: the tutor's fixed grading seed)."
)
@click.option("--timeout", type=float, default=None, help="Seconds allowed per call of a student function.")
@click.option(
    "--verify",
    "verify_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Do not grade: say whether REPORT (json or Gradescope) matches these files.",
)
@click.option("--regrade", is_flag=True, help="With --verify: also re-grade and compare the points.")
@pass_app
def command(
    app: Application,
    fmt: str,
    output: Path | None,
    extra: tuple[str, ...],
    fail_under: float | None,
    seed: int | None,
    timeout: float | None,
    verify_path: Path | None,
    regrade: bool,
) -> None:
    """Grade every exercise of this workspace from its files (exit 0 when grading completed).

    Points come from the course catalog, with partial credit per property. Grading is seeded and
    derandomized: the same files always get the same grade.
    """
    from tutor.checking.sandbox import Limits
    from tutor.grading import formats, view
    from tutor.grading.runner import DEFAULT_SEED, GradeOptions, grade_workspace

    writes = [_write_spec(value) for value in extra]
    workspace = app.workspace()
    assert workspace is not None
    signal.signal(signal.SIGTERM, _terminate)
    options = GradeOptions(
        seed=DEFAULT_SEED if seed is None else seed,
        limits=Limits(call_seconds=timeout) if timeout is not None else None,
    )
    if verify_path is not None:
        from tutor.grading.verify import read_provenance, verify

        recorded = read_provenance(verify_path)
        if regrade and recorded.get("seed") is not None and seed is None:
            options = GradeOptions(seed=int(recorded["seed"]), limits=options.limits)
        regraded = grade_workspace(workspace, app.course, options) if regrade else None
        result = verify(recorded, workspace, regraded)
        app.print(view.verification(result, str(verify_path)))
        sys.exit(0 if result.matches else 1)

    if fmt == "table" and output is None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        gradable = len(app.course.exercises)
        with Progress(
            TextColumn("grading {task.fields[current]:<20}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=app.console,
            transient=True,
        ) as bar:
            task = bar.add_task("grade", total=gradable, current="")

            def progress(exercise, grade) -> None:  # noqa: ANN001
                if grade is None:
                    bar.update(task, current=exercise.id)
                else:
                    bar.advance(task)

            report = grade_workspace(workspace, app.course, options, progress)
        app.print(view.grade_table(report))
    else:
        report = grade_workspace(workspace, app.course, options)
        if fmt == "table":
            from rich.console import Console

            assert output is not None
            with output.open("w", encoding="utf-8") as handle:
                Console(file=handle, width=120, no_color=True).print(view.grade_table(report))
        else:
            text = formats.render(report, fmt)
            if output is None:
                click.echo(text, nl=False)
            else:
                output.write_text(text, encoding="utf-8")
    for extra_fmt, path in writes:
        path.write_text(formats.render(report, extra_fmt), encoding="utf-8")

    broken = [e.id for e in report.exercises if e.status == "grader_error"]
    if broken:
        app.abort(GRADER_BROKE.format(exercises=", ".join(broken)), code=3)
    if fail_under is not None and report.points < fail_under:
        app.abort(FAIL_UNDER.format(points=report.points, threshold=fail_under), code=1)

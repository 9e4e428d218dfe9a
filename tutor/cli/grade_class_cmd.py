from __future__ import annotations

import time
from pathlib import Path

import click

from tutor.cli.app import Application, pass_app


@click.command("grade-class")
@click.argument(
    "directories", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Submissions graded at the same time (one process each).",
)
@click.option(
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("gradebook.csv"),
    show_default=True,
    help="The CSV gradebook.",
)
@click.option(
    "--reports",
    "reports",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for one JSON report per student [default: OUTPUT's name + '-reports'].",
)
@click.option("--timeout", type=float, default=None, help="Seconds allowed per submission [default: 900].")
@pass_app
def command(
    app: Application,
    directories: tuple[Path, ...],
    jobs: int,
    output: Path,
    reports: Path | None,
    timeout: float | None,
) -> None:
    """Grade many workspaces (or folders of workspaces) into a CSV gradebook and a JSON report each.

    Every submission is graded by `tutor grade` in its own process with a time limit; a broken,
    hanging or hostile one gets a row with its error status and never stops the batch.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from tutor.grading import view
    from tutor.grading.classgrade import (
        DEFAULT_TIMEOUT,
        ClassRow,
        grade_class,
        gradebook_csv,
        submissions,
        summarize,
    )

    found = submissions(directories)
    reports = reports or output.with_name(output.stem + "-reports")
    started = time.perf_counter()
    with Progress(
        TextColumn("grading"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}"),
        console=app.console,
        transient=True,
    ) as bar:
        task = bar.add_task("class", total=len(found), last="")

        def done(row: ClassRow) -> None:
            bar.update(task, advance=1, last=f"{row.student or row.directory}: {row.status}")

        rows = grade_class(found, jobs, timeout or DEFAULT_TIMEOUT, reports, on_done=done)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(gradebook_csv(rows, app.course), encoding="utf-8")
    app.print(view.class_summary(summarize(rows, app.course, time.perf_counter() - started)))
    app.success(f"Wrote {output} and {len(found)} report(s) in {reports}/.")

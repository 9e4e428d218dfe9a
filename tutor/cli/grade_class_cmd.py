from __future__ import annotations

import time
from pathlib import Path

import click

from tutor.cli.app import Application, pass_app

NO_SANDBOX_WARNING = "--no-sandbox: the students' code runs as plain processes with your user's rights."


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
@click.option(
    "--no-sandbox",
    is_flag=True,
    help="Grade even without the bubblewrap sandbox (passed on to every `tutor grade`): the code then "
    "runs as a plain process with your rights. Only inside a throwaway container or VM.",
)
@pass_app
def command(
    app: Application,
    directories: tuple[Path, ...],
    jobs: int,
    output: Path,
    reports: Path | None,
    timeout: float | None,
    no_sandbox: bool,
) -> None:
    """Grade many workspaces (or folders of workspaces) into a CSV gradebook and a JSON report each.

    Every submission is graded by `tutor grade` in its own process with a time limit; a broken,
    hanging or hostile one gets a row with its error status and never stops the batch. The
    students' code runs in a sandbox; without one, grading is refused (exit 2) unless --no-sandbox.
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
    from tutor.grading.output import check_target, write_report
    from tutor.grading.runner import grading_isolation

    isolation = grading_isolation(no_sandbox)  # refuses (exit 2) before anything runs
    check_target(output)
    if no_sandbox:
        app.warning(NO_SANDBOX_WARNING)
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

        rows = grade_class(
            found, jobs, timeout or DEFAULT_TIMEOUT, reports, on_done=done, isolation=isolation
        )
    write_report(output, gradebook_csv(rows, app.course))
    app.print(view.class_summary(summarize(rows, app.course, time.perf_counter() - started)))
    written = sum(1 for row in rows if row.report_file)
    app.success(f"Wrote {output} and {written} report(s) in {reports}/.")

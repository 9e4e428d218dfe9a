from __future__ import annotations

import signal
import time
from pathlib import Path

import click

from tutor.cli.app import Application, pass_app
from tutor.cli.grading_options import instructor_options

NO_SANDBOX_WARNING = "--no-sandbox: the students' code runs as plain processes with your user's rights."


INTERRUPTED = (
    "Interrupted: {graded} of {total} student(s) are in {output}, and nothing is still running. "
    "Run the same command with --resume to grade the others."
)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.command("grade-class")
@click.argument(
    "directories", nargs=-1, required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
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
@instructor_options
@click.option(
    "--summary",
    "summary_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write the class summary as JSON: per exercise, the pass rate, the mean points and "
    "how many students were diagnosed with each misconception.",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write the summary as one self-contained page (inline SVG, no network): totals, "
    "pass rate per exercise, the most common misconceptions.",
)
@click.option(
    "--similarity",
    "similarity_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write, as JSON, the pairs of submissions per exercise whose code is unusually alike "
    "(copydetect; the stub does not count): a lead to read, not a verdict. Needs cnn-tutor[instructor].",
)
@click.option(
    "--roster",
    "roster_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    metavar="FILE",
    help="roster.csv with columns student,path: grade each student's folder as their id; flag "
    "missing folders and folders not in it.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Keep the rows already in OUTPUT (from an interrupted run) and grade only the others.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "canvas"]),
    default="csv",
    show_default=True,
    help="csv: the tutor's gradebook (points per exercise, status, flags); canvas: a CSV for "
    "Canvas's gradebook import (README: 'tutor grade-class').",
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
    config_path: Path | None,
    assignment: str | None,
    ref: str | None,
    summary_path: Path | None,
    html_path: Path | None,
    similarity_path: Path | None,
    roster_path: Path | None,
    resume: bool,
    fmt: str,
) -> None:
    """Grade many workspaces (or folders of workspaces) into a CSV gradebook and a JSON report each.

    Every submission is graded by `tutor grade` in its own process with a time limit; a broken,
    hanging or hostile one gets a row with its error status and never stops the batch. The
    students' code runs in a sandbox; without one, grading is refused (exit 2) unless --no-sandbox.
    --config and --assignment are passed on to every `tutor grade`; with --ref, each folder's
    commit REF is graded (a folder without it gets a `no_ref` row).
    """
    import json

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from tutor.errors import UsageError
    from tutor.grading import view
    from tutor.grading.classgrade import (
        DEFAULT_TIMEOUT,
        ClassRow,
        Gradebook,
        RowStatus,
        grade_class,
        plan,
        read_gradebook,
        read_roster,
        summarize,
        summary_json,
    )
    from tutor.grading.config import from_options
    from tutor.grading.output import check_target, write_report
    from tutor.grading.runner import grading_isolation

    isolation = grading_isolation(no_sandbox)  # refuses (exit 2) before anything runs
    for target in (output, summary_path, html_path, similarity_path):
        if target is not None:
            check_target(target)
    if similarity_path is not None:
        from tutor.grading import similarity

        similarity.require()  # exit 2 now, not after the whole class is graded
    config = from_options(config_path, assignment, app.course)
    course = config.course_for(app.course, assignment) if config else app.course
    if resume and fmt == "canvas":
        raise UsageError(
            "--resume reads the tutor's own gradebook, not a Canvas one.",
            "Resume with --format csv, then write the Canvas file in a run without --resume.",
        )
    roster = read_roster(roster_path) if roster_path else None
    found, missing = plan(directories, roster)
    if not found and not missing:
        raise UsageError("Nothing to grade.", "Give the students' folders, or --roster roster.csv.")
    if no_sandbox:
        app.warning(NO_SANDBOX_WARNING)
    previous = (
        {r.directory: r for r in read_gradebook(output, course) if r.status != RowStatus.MISSING}
        if resume
        else {}
    )
    reports = reports or output.with_name(output.stem + "-reports")
    column = config.assignment(assignment).title if config and assignment else course.name
    book = Gradebook(
        output, course, fmt, column, roster, order=[*found, *(Path(r.directory) for r in missing)]
    )
    # Rows kept from an interrupted run stay in the file from the first write on.
    book.rows = [*missing, *(previous[str(d)] for d in found if str(d) in previous)]
    resumed = 0
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
            book.add(row)  # the gradebook grows as each student finishes
            bar.update(task, advance=1, last=f"{row.student or row.directory}: {row.status}")

        def skip(directory: Path) -> ClassRow | None:
            nonlocal resumed
            row = previous.get(str(directory))
            if row is not None:
                resumed += 1
                bar.update(task, advance=1)
            return row

        # `kill` (SIGTERM) stops grading as Ctrl-C does: nothing it started goes on running.
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            rows = grade_class(
                found,
                jobs,
                timeout or DEFAULT_TIMEOUT,
                reports,
                on_done=done,
                isolation=isolation,
                config=config_path,
                assignment=assignment,
                skip=skip if resume else None,
                ref=ref,
            )
        except KeyboardInterrupt:
            graded = len(book.rows) - len(missing)
            app.abort(INTERRUPTED.format(output=output, graded=graded, total=len(found)), code=130)
    book.rows = [*missing, *rows]  # resumed rows too, with their reports' misconceptions
    book.write()
    final = book.final()
    summary = summarize(final, course, time.perf_counter() - started)
    app.print(view.class_summary(summary))
    data = summary_json(final, course, summary, assignment)
    if summary_path is not None:
        write_report(summary_path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    if html_path is not None:
        from tutor.grading.classpage import class_page

        write_report(html_path, class_page(data, f"{column}: what the class got wrong"))
    if similarity_path is not None:
        pairs = similarity.report(final, course, ref)
        write_report(similarity_path, json.dumps(pairs, indent=2, ensure_ascii=False) + "\n")
    written = len({row.report_file for row in final if row.report_file and Path(row.report_file).is_file()})
    flagged = sum(1 for row in final if row.flags)
    parts = [
        f"Wrote {output} ({len(final)} row(s)",
        f"{resumed} kept from before" if resume else "",
        f"{flagged} flagged" if flagged else "",
    ]
    head = ", ".join(p for p in parts if p) + ")"
    tail = "".join(f" and {path}" for path in (summary_path, html_path, similarity_path) if path)
    app.success(f"{head}{tail}, and {written} report(s) in {reports}/.")

from __future__ import annotations

import dataclasses
import os
import signal
import sys
from pathlib import Path

import click

from tutor.cli.app import Application, pass_app
from tutor.cli.grading_options import instructor_options
from tutor.grading.formats import FORMATS, TEXT_FORMATS
from tutor.workspace import Workspace

FAIL_UNDER = "{points:g} points is under --fail-under {threshold:g}."
NO_SANDBOX_WARNING = "--no-sandbox: the student's code runs as a plain process with your user's rights."
REF_NOTE = "Graded commit {sha} ({ref}, committed {date}) of the git repository, not the files on disk."
REF_SKIPPED = "Not copied from that commit, so not graded: {skipped}."
REPLAY_NEEDS_SANDBOX = (
    "--replay-cache needs the sandbox: without it the graded code could rewrite the cache, and with "
    "it the examples the next workspace meets."
)
GRADER_BROKE = "The grader itself failed on: {exercises}. The report was still written; re-run with --debug, or tell the course staff."


def _write_spec(value: str) -> tuple[str, Path]:
    fmt, sep, file = value.partition(":")
    if not sep or fmt not in TEXT_FORMATS or not file:
        raise click.BadParameter(
            f"expected FORMAT:FILE with FORMAT one of {', '.join(TEXT_FORMATS)}, got {value!r}"
        )
    return fmt, Path(file)


def _at_ref(workspace: Workspace, ref: str) -> tuple[Workspace, tuple[str, ...]]:
    """The workspace as commit REF of its git repository has it, in a private copy removed when
    the command ends, and the notes that say so in the report."""
    from tutor.errors import UsageError
    from tutor.grading import gitrepo
    from tutor.workspace import WORKSPACE_FILE, find_workspace

    try:
        copy, exported = click.get_current_context().with_resource(gitrepo.exported(workspace.root, ref))
    except gitrepo.GitError as error:
        raise UsageError(
            f"Cannot grade {ref}: {error.reason}.",
            "Name a tag or branch of this repository (`git tag`, `git branch`).",
        ) from None
    if not (copy / WORKSPACE_FILE).is_file():
        raise UsageError(
            f"{ref} has no {WORKSPACE_FILE}: it is not a cnn-tutor workspace.", "Name a commit that has one."
        )
    notes = [
        REF_NOTE.format(ref=ref, sha=exported.commit.sha, date=exported.commit.committed_at or "unknown")
    ]
    notes += [REF_SKIPPED.format(skipped="; ".join(exported.skipped))] if exported.skipped else []
    return find_workspace(copy), tuple(notes)


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
@click.option(
    "--no-sandbox",
    is_flag=True,
    help="Grade even without the bubblewrap sandbox: the code then runs as a plain process with "
    "your rights. Only for code you trust, or inside a throwaway container.",
)
@click.option(
    "--submission-metadata",
    "metadata_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Gradescope's submission_metadata.json: grade as its users[].sid (else email), never as "
    "tutor.toml's student. run_autograder passes it.",
)
@click.option(
    "--note",
    "notes",
    multiple=True,
    metavar="TEXT",
    help="A sentence for the student, kept in the report (e.g. how the submission was prepared). Repeatable.",
)
@click.option(
    "--replay-cache",
    "replay_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Keep each passing check's examples in DIR and replay them first for the next workspace: "
    "the same grades, found faster (grade-class does this by itself). DIR must be the grader's "
    "alone; refused with --no-sandbox.",
)
@instructor_options
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
    no_sandbox: bool,
    config_path: Path | None,
    assignment: str | None,
    ref: str | None,
    metadata_path: Path | None,
    notes: tuple[str, ...],
    replay_dir: Path | None,
) -> None:
    """Grade every exercise of this workspace from its files (exit 0 when grading completed).

    Points come from the course catalog, with partial credit per property. Grading is seeded and
    derandomized: the same files always get the same grade. The students' code runs in a sandbox;
    without one, grading is refused (exit 2) unless --no-sandbox is given.
    """
    from tutor.checking.isolation import Isolation
    from tutor.checking.sandbox import Limits
    from tutor.grading import formats, view
    from tutor.grading.output import check_target, write_report
    from tutor.grading.runner import DEFAULT_SEED, GradeOptions, grade_workspace, grading_isolation

    writes = [_write_spec(value) for value in extra]
    targets = [path for _, path in writes] + ([output] if output is not None else [])
    for path in targets:
        check_target(path)  # before grading: refuse a link, FIFO or device now, not after minutes
    workspace = app.workspace()
    assert workspace is not None
    if ref is not None:
        workspace, ref_notes = _at_ref(workspace, ref)
        notes = ref_notes + notes
    if metadata_path is not None:
        from tutor.grading.identity import from_gradescope_metadata

        identity = from_gradescope_metadata(metadata_path, claimed=workspace.student)
        workspace = dataclasses.replace(workspace, student=identity.student)
        notes = identity.notes + notes
    signal.signal(signal.SIGTERM, _terminate)
    if no_sandbox:
        if replay_dir is not None:
            app.abort(REPLAY_NEEDS_SANDBOX, code=2)
        app.warning(NO_SANDBOX_WARNING)
    from tutor.grading.config import from_options

    config = from_options(config_path, assignment, app.course)  # exit 2 before grading anything
    options = GradeOptions(
        config=config,
        assignment=assignment,
        seed=DEFAULT_SEED if seed is None else seed,
        limits=Limits(call_seconds=timeout) if timeout is not None else None,
        # A bare --verify runs no student code; everything else needs the sandbox or --no-sandbox.
        isolation=grading_isolation(no_sandbox) if verify_path is None or regrade else Isolation.NONE,
        replay=replay_dir,
    )
    if verify_path is not None:
        from tutor.grading.verify import read_provenance, verify

        recorded = read_provenance(verify_path)
        if regrade and recorded.get("seed") is not None and seed is None:
            options = dataclasses.replace(options, seed=int(recorded["seed"]))
        regraded = grade_workspace(workspace, app.course, options) if regrade else None
        result = verify(recorded, workspace, regraded)
        app.print(view.verification(result, str(verify_path)))
        sys.exit(0 if result.matches else 1)

    def graded(progress=None):  # noqa: ANN001, ANN202
        report = grade_workspace(workspace, app.course, options, progress)
        return dataclasses.replace(report, notes=report.notes + tuple(notes))

    if fmt == "table" and output is None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from tutor.grading.runner import graded_course

        gradable = len(graded_course(app.course, options).exercises)
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

            report = graded(progress)
        app.print(view.grade_table(report))
    else:
        report = graded()
        text = (
            view.plain_text(view.grade_table(report))
            if fmt == "table"
            else formats.render(report, fmt, os.environ)
        )
        if output is None:
            click.echo(text, nl=False)
        else:
            write_report(output, text)  # only now, whole: a crash above leaves no file
    for extra_fmt, path in writes:
        write_report(path, formats.render(report, extra_fmt, os.environ))

    broken = [e.id for e in report.exercises if e.status == "grader_error"]
    if broken:
        app.abort(GRADER_BROKE.format(exercises=", ".join(broken)), code=3)
    if fail_under is not None and report.points < fail_under:
        app.abort(FAIL_UNDER.format(points=report.points, threshold=fail_under), code=1)

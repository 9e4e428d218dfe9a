from __future__ import annotations

from pathlib import Path

import click

from tutor.cli.app import Application, pass_app
from tutor.workspace import init_workspace

NO_SOURCE_NOTE = (
    "No --tutor-source: the CI files it wrote cannot install cnn-tutor and say so. Course staff building "
    "a template: run `tutor init DIR --tutor-source SPEC` (README: Autograding)."
)


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--student", "student", metavar="ID", help="Your student id: picks your variant of the numeric questions."
)
@click.option(
    "--tutor-source",
    metavar="SPEC",
    help="Where CI installs cnn-tutor from: a git URL at a commit (git+https://…@COMMIT), a wheel's "
    "https:// URL, or the path of a wheel committed to the template. Recorded in tutor.toml.",
)
@click.option("--gitlab", is_flag=True, help="Also write .gitlab-ci.yml (grading with a JUnit report).")
@click.option(
    "--notebooks",
    is_flag=True,
    help="Work in Jupyter: one notebook per session in notebooks/ instead of a file per exercise.",
)
@pass_app
def command(
    app: Application,
    directory: Path,
    student: str | None,
    tutor_source: str | None,
    gitlab: bool,
    notebooks: bool,
) -> None:
    """Create a workspace in DIRECTORY with a stub for every exercise (and CI files that grade it)."""
    workspace, written = init_workspace(directory, app.course, student, tutor_source, gitlab, notebooks)
    kind = "notebooks" if notebooks else "exercise files"
    app.success(f"Created a cnn-tutor workspace in {workspace.root} with {len(written)} {kind}.")
    if tutor_source is None:
        app.info(NO_SOURCE_NOTE)
    if notebooks:
        app.print(
            f"Next:  jupyter lab {directory}/notebooks  (or open {written[0] if written else 'a notebook'} in VS Code)"
        )
    else:
        app.print(f"Next:  cd {directory}  &&  tutor next")

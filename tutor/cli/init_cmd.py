from __future__ import annotations

from pathlib import Path

import click

from tutor.cli.app import Application, pass_app
from tutor.workspace import init_workspace


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--student", "student", metavar="ID", help="Your student id: picks your variant of the numeric questions."
)
@pass_app
def command(app: Application, directory: Path, student: str | None) -> None:
    """Create a workspace in DIRECTORY with a stub for every exercise."""
    workspace, written = init_workspace(directory, app.course, student)
    app.success(f"Created a cnn-tutor workspace in {workspace.root} with {len(written)} exercise files.")
    app.print(f"Next:  cd {directory}  &&  tutor next")

from __future__ import annotations

import click

from tutor.cli.app import Application, pass_app
from tutor.cli.params import EXERCISE_ID
from tutor.workspace import reset_exercise, resettable_file


@click.command("reset")
@click.argument("exercise_id", type=EXERCISE_ID)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def command(app: Application, exercise_id: str, yes: bool) -> None:
    """Restore an exercise's stub (your file is backed up first)."""
    exercise = app.exercise(exercise_id)
    workspace = app.workspace()
    assert workspace is not None
    target = workspace.display(resettable_file(workspace, exercise))
    if not yes and not click.confirm(
        f"Replace {target} with the original stub? (a backup is kept)", default=False
    ):
        app.info("Nothing changed.")
        return
    backup = reset_exercise(workspace, exercise)
    if backup:
        app.success(f"Restored {target}. Your previous version is in {workspace.display(backup)}.")
    else:
        app.success(f"Restored {target}.")

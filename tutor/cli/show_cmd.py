from __future__ import annotations

import click

from tutor import render
from tutor.cli.app import Application, pass_app
from tutor.cli.params import EXERCISE_ID


@click.command("show")
@click.argument("exercise_id", type=EXERCISE_ID)
@pass_app
def command(app: Application, exercise_id: str) -> None:
    """Show an exercise's lesson and statement."""
    exercise = app.exercise(exercise_id)
    workspace = app.workspace(required=False)
    where = workspace.display(workspace.exercise_file(exercise)) if workspace else exercise.relative_file()
    app.print(render.statement(app.course, exercise, where))

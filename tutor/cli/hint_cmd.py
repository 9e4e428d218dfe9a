from __future__ import annotations

import click

from tutor import render
from tutor.cli.app import Application, pass_app
from tutor.cli.params import EXERCISE_ID
from tutor.core import hint_levels


@click.command("hint")
@click.argument("exercise_id", type=EXERCISE_ID)
@click.option("--all", "show_all", is_flag=True, help="Show every hint level at once.")
@pass_app
def command(app: Application, exercise_id: str, show_all: bool) -> None:
    """Show the next hint for an exercise (one more level each time)."""
    exercise = app.exercise(exercise_id)
    app.print(render.hints(exercise, hint_levels(app.workspace(required=False), exercise, show_all)))

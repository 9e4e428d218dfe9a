from __future__ import annotations

import click

from tutor import render
from tutor.cli.app import Application, pass_app
from tutor.cli.params import EXERCISE_ID
from tutor.core import reference_solution


@click.command("solution")
@click.argument("exercise_id", type=EXERCISE_ID)
@pass_app
def command(app: Application, exercise_id: str) -> None:
    """Show the course's reference solution, once your file passes (it is never copied anywhere)."""
    workspace = app.workspace()
    assert workspace is not None
    app.print(render.solution(reference_solution(workspace, app.exercise(exercise_id))))

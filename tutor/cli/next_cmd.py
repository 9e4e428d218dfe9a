from __future__ import annotations

import click

from tutor import render
from tutor.cli.app import Application, pass_app
from tutor.core import course_states, next_exercise
from tutor.questions import question_text


@click.command("next")
@pass_app
def command(app: Application) -> None:
    """Show the first exercise that is not done yet."""
    workspace = app.workspace()
    assert workspace is not None
    upcoming = next_exercise(course_states(workspace, app.course))
    if upcoming is None:
        app.success("Every exercise is done. Congratulations!")
        return
    text = None if upcoming.is_code else question_text(upcoming, workspace)
    app.print(render.statement(app.course, upcoming, workspace.display(workspace.exercise_file(upcoming)), text))

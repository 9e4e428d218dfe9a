from __future__ import annotations

import click

from tutor import render
from tutor.cli.app import Application, pass_app
from tutor.core import course_states, next_exercise, session_opening
from tutor.questions import question_text


@click.command("next")
@pass_app
def command(app: Application) -> None:
    """Show the first exercise that is not done yet."""
    workspace = app.workspace()
    assert workspace is not None
    rows = course_states(workspace, app.course)
    upcoming = next_exercise(rows)
    if upcoming is None:
        app.success("Every exercise is done. Congratulations! Run `tutor` to see your progress.")
        return
    opening = session_opening(app.course, rows, upcoming)
    if opening:
        app.success(opening)
    text = None if upcoming.is_code else question_text(upcoming, workspace)
    app.print(
        render.statement(app.course, upcoming, workspace.display(workspace.exercise_file(upcoming)), text)
    )

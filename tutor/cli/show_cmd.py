from __future__ import annotations

from pathlib import Path

import click

from tutor import render
from tutor.cli.app import Application, pass_app
from tutor.cli.params import EXERCISE_ID
from tutor.previews import preview, save_preview_png
from tutor.questions import question_text


@click.command("show")
@click.argument("exercise_id", type=EXERCISE_ID)
@click.option(
    "--save-png",
    "save_png",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the exercise's pictures (if it has any) as one PNG.",
)
@pass_app
def command(app: Application, exercise_id: str, save_png: Path | None) -> None:
    """Show an exercise's lesson and statement."""
    exercise = app.exercise(exercise_id)
    workspace = app.workspace(required=False)
    where = workspace.display(workspace.exercise_file(exercise)) if workspace else exercise.relative_file()
    text = None if exercise.is_code else question_text(exercise, workspace)
    app.print(render.statement(app.course, exercise, where, text))
    shown = preview(exercise, workspace)  # optional pictures: tutor/previews/<id>.py
    if shown is not None:
        app.print(render.preview(shown))
    if save_png is not None:
        app.info(save_preview_png(shown, save_png, exercise.id))

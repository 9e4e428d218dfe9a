from __future__ import annotations

import sys

import click

from tutor import render
from tutor.cli.app import Application, pass_app
from tutor.cli.params import EXERCISE_ID
from tutor.questions import check_answer


@click.command("answer")
@click.argument("exercise_id", type=EXERCISE_ID)
@click.argument("value", nargs=-1, required=True)
@click.option(
    "--part", "part", metavar="NAME", help="Answer this part (default: the first part not yet right)."
)
@pass_app
def command(app: Application, exercise_id: str, value: tuple[str, ...], part: str | None) -> None:
    """Answer a numeric question, one part at a time (exit 0 when right, 1 when not).

    VALUE is a whole number: 61706, 61,706 and 61 706 are all fine.
    """
    exercise = app.exercise(exercise_id)
    workspace = app.workspace()
    assert workspace is not None
    result = check_answer(workspace, exercise, part, " ".join(value))
    app.print(render.answer_result(result))
    sys.exit(0 if result.correct else 1)

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from tutor.cli.app import Application, pass_app
from tutor.cli.params import EXERCISE_ID
from tutor.core import check_exercise, limits_for


@click.command("check")
@click.argument("exercise_id", type=EXERCISE_ID)
@click.option("--file", "file", type=click.Path(dir_okay=False, path_type=Path), help="Check this file instead of exercises/ID.py.")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as one JSON object.")
@click.option("--seed", type=int, default=None, help="Fix Hypothesis's random seed.")
@click.option("--timeout", type=float, default=None, help="Seconds allowed per call of your function.")
@click.option("--save-png", "save_png", type=click.Path(dir_okay=False, path_type=Path), help="Save the failing input, expected and yours as a PNG.")
@pass_app
def command(
    app: Application, exercise_id: str, file: Path | None, as_json: bool, seed: int | None, timeout: float | None, save_png: Path | None
) -> None:
    """Check an exercise against PyTorch (exit 0 when it passes, 1 when it does not)."""
    exercise = app.exercise(exercise_id)
    workspace = app.workspace(required=file is None)
    limits = limits_for(workspace, call_seconds=timeout)
    if as_json:
        result = check_exercise(workspace, exercise, file, limits, seed)
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        from tutor import render

        with app.console.status(f"Checking {exercise.id} against PyTorch…", spinner="dots"):
            result = check_exercise(workspace, exercise, file, limits, seed)
        app.print(render.check_result(result))
        if not result.passed:
            app.print(f"Stuck? [cyan]tutor hint {exercise.id}[/cyan]")
    if save_png is not None:
        from tutor.diff_view import save_counterexample_png

        app.info(save_counterexample_png(result, save_png))
    sys.exit(0 if result.passed else 1)

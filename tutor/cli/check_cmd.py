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
@click.option(
    "--file",
    "file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check this file instead of exercises/ID.py.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as one JSON object.")
@click.option("--seed", type=int, default=None, help="Fix Hypothesis's random seed.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds allowed per call of your function (default 10).",
)
@click.option(
    "--memory-mb",
    type=click.IntRange(min=64),
    default=None,
    help="Memory (address space) for the worker, in MB (default 2048).",
)
@click.option(
    "--cpu-seconds",
    type=click.IntRange(min=1),
    default=None,
    help="CPU seconds for the whole check (default 60).",
)
@click.option(
    "--total-seconds",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Wall-clock seconds for the whole check (default 45).",
)
@click.option(
    "--save-png",
    "save_png",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the failing input, expected and yours as a PNG.",
)
@pass_app
def command(
    app: Application,
    exercise_id: str,
    file: Path | None,
    as_json: bool,
    seed: int | None,
    timeout: float | None,
    memory_mb: int | None,
    cpu_seconds: int | None,
    total_seconds: float | None,
    save_png: Path | None,
) -> None:
    """Check an exercise against PyTorch (exit 0 when it passes, 1 when it does not)."""
    exercise = app.exercise(exercise_id)
    workspace = app.workspace(required=file is None)
    limits = limits_for(
        workspace,
        call_seconds=timeout,
        memory_mb=memory_mb,
        cpu_seconds=cpu_seconds,
        total_seconds=total_seconds,
    )
    for problem in workspace.repair_state() if workspace else ():
        app.warning(problem)
    if as_json:
        result = check_exercise(workspace, exercise, file, limits, seed)
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        from tutor import render

        with app.console.status(f"Checking {exercise.id} against PyTorch…", spinner="dots"):
            result = check_exercise(workspace, exercise, file, limits, seed)
        app.print(render.check_result(result))
        if result.isolation == "none":
            from tutor.checking.isolation import NOT_ISOLATED, support

            app.warning(NOT_ISOLATED.format(detail=support().detail))
        if not result.passed:
            app.print(f"Stuck? [cyan]tutor hint {exercise.id}[/cyan]")
        else:
            app.print("Next: [cyan]tutor next[/cyan]  (or [cyan]tutor[/cyan] to see your progress)")
    if save_png is not None:
        from tutor.diff_view import save_counterexample_png

        app.info(save_counterexample_png(result, save_png))
    sys.exit(0 if result.passed else 1)

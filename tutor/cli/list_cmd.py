from __future__ import annotations

import json

import click

from tutor import render
from tutor.cli.app import Application, pass_app
from tutor.core import course_states, next_exercise


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of {id, status, ...} objects.")
@pass_app
def command(app: Application, as_json: bool) -> None:
    """Show every exercise with its status and points."""
    workspace = app.workspace(required=not as_json)
    for problem in workspace.repair_state() if workspace else ():
        app.warning(problem)
    rows = course_states(workspace, app.course)
    upcoming = next_exercise(rows)
    if as_json:
        data = [
            {
                "id": row.exercise.id,
                "title": row.exercise.title,
                "session": row.exercise.session,
                "topic": row.exercise.topic,
                "kind": row.exercise.kind,
                "points": row.exercise.points,
                "status": str(row.state),
            }
            for row in rows
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    app.print(render.course_table(app.course, rows, upcoming.id if upcoming else None))
    if upcoming is not None:
        app.print(f"Next up: [bold]{upcoming.id}[/bold]. Run [cyan]tutor next[/cyan] to read it.")

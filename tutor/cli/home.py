"""What bare `tutor` shows: progress by session, the next exercise and the most useful command."""

from __future__ import annotations

from rich.text import Text

from tutor import render
from tutor.cli.app import Application
from tutor.core import course_states, next_exercise

WELCOME = (
    "Welcome to cnn-tutor: learn convolutional networks by writing them, checked against PyTorch.\n"
    "This folder is not a cnn-tutor workspace yet. Start one with\n"
)


def show_home(app: Application) -> None:
    workspace = app.workspace(required=False)
    if workspace is None:
        app.print(Text(WELCOME))
        app.print(
            "    [bold cyan]tutor init my-cnn --student YOUR_ID[/bold cyan]   then   [bold cyan]cd my-cnn && tutor next[/bold cyan]"
        )
        app.print(Text("\nEvery command: tutor --help", style="dim"))
        return
    rows = course_states(workspace, app.course)
    app.print(render.dashboard(app.course, rows, next_exercise(rows)))

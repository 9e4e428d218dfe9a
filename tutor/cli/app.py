"""The one object that owns the console, the display levels and the way out."""

from __future__ import annotations

import os
import sys
from functools import cached_property
from typing import NoReturn

import click
from rich.console import Console, RenderableType

from tutor.catalog import Course, Exercise, course
from tutor.errors import TutorError
from tutor.workspace import Workspace, find_workspace


class Application:
    def __init__(self, debug: bool = False) -> None:
        self.debug = debug or bool(os.environ.get("TUTOR_DEBUG"))
        # Rich already honours NO_COLOR and turns colour off when stdout is not a terminal.
        self.console = Console(highlight=False)
        self.error_console = Console(stderr=True, highlight=False)

    @cached_property
    def course(self) -> Course:
        return course()

    def workspace(self, required: bool = True) -> Workspace | None:
        try:
            return find_workspace()
        except TutorError:
            if required:
                raise
            return None

    def exercise(self, exercise_id: str) -> Exercise:
        return self.course.exercise(exercise_id)

    # -- display levels ----------------------------------------------------------------------------
    def print(self, renderable: RenderableType = "") -> None:
        self.console.print(renderable)

    def info(self, text: str) -> None:
        self.error_console.print(text, style="dim")

    def success(self, text: str) -> None:
        self.console.print(text, style="green")

    def warning(self, text: str) -> None:
        self.error_console.print(f"warning: {text}", style="yellow")

    def abort(self, text: str, hint: str = "", code: int = 1) -> NoReturn:
        self.error_console.print(f"error: {text}", style="bold red")
        if hint:
            self.error_console.print(hint, style="yellow")
        sys.exit(code)

    def fail(self, error: TutorError) -> NoReturn:
        self.abort(error.message, error.hint, error.exit_code)


pass_app = click.make_pass_decorator(Application, ensure=True)

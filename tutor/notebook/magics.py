"""`%tutor` in Jupyter and Colab: check, next, hint, show and init, rendered as in the terminal.

`%tutor check conv2d` checks the conv2d the kernel has now. It takes the cells the kernel ran (its
`In` history, in the order they ran), keeps only the statements conv2d needs (extract.py), and
checks those in the sandboxed worker exactly as `tutor check --file NOTEBOOK` does: the cells are
written to a private notebook file and checked through the same engine, so verdicts and messages
are the terminal's. Nothing the other cells did (their prints, plots, a model in memory) is sent.

The kernel itself never runs the student's function for a check: an infinite loop stops the
worker, not the notebook. This module imports IPython, rich and the catalog only; torch and
hypothesis are imported by the check itself, when it runs.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import tempfile
from pathlib import Path
from typing import Any

from IPython.core.magic import Magics, line_magic, magics_class
from rich.console import Console

from tutor.catalog import Course, Exercise, course
from tutor.errors import NotAWorkspace, TutorError, UsageError
from tutor.workspace import ExerciseState, Workspace, find_workspace

USAGE = (
    "%tutor check ID [--timeout SECONDS] [--seed N] · %tutor next · %tutor hint ID [--all] · "
    "%tutor show ID · %tutor init --student ID"
)
UNKNOWN_COMMAND = "%tutor has no command {command!r}."
MISSING_ARGUMENT = "%tutor {command} needs {what}."
BAD_OPTION = "%tutor {command}: {problem}."
NOTEBOOK_NAME = "this notebook"
INTERNAL_ERROR = (
    "The tutor itself failed ({error}). This is not your code's fault: please tell your instructor. "
    "Set TUTOR_DEBUG=1 in the kernel's environment to see the traceback."
)
STUDENT_SET = "Student id {student}: numeric questions use your own numbers in this kernel session."
NOT_CODE = "{id} is a numeric question, not a code exercise."
NOT_CODE_HINT = "Read it with `%tutor show {id}`; answer it with `tutor answer {id} VALUE` in a terminal."


def _options(command: str, words: list[str], flags: set[str], valued: set[str]) -> tuple[list[str], dict]:
    """Positional words and --options of one magic line (flags are True, valued options strings)."""
    positional: list[str] = []
    found: dict[str, Any] = {}
    rest = iter(words)
    for word in rest:
        name = word.split("=", 1)[0]
        if name in flags:
            found[name] = True
        elif name in valued:
            value = word.split("=", 1)[1] if "=" in word else next(rest, None)
            if value is None:
                raise UsageError(BAD_OPTION.format(command=command, problem=f"{name} needs a value"), USAGE)
            found[name] = value
        elif word.startswith("--"):
            raise UsageError(BAD_OPTION.format(command=command, problem=f"unknown option {word}"), USAGE)
        else:
            positional.append(word)
    return positional, found


def _number(command: str, option: str, text: str, kind: type) -> Any:
    try:
        value = kind(text)
    except ValueError:
        raise UsageError(
            BAD_OPTION.format(command=command, problem=f"{option} {text!r} is not a number"), USAGE
        ) from None
    if kind is float and value <= 0:
        raise UsageError(BAD_OPTION.format(command=command, problem=f"{option} must be more than 0"), USAGE)
    return value


@magics_class
class TutorMagics(Magics):
    """The `%tutor` line magic. State lives as long as the kernel: the student id given with
    `%tutor init`, the hint levels shown and the exercises passed in this session."""

    def __init__(self, shell: Any) -> None:
        super().__init__(shell)
        self.student: str | None = None
        self.passed: set[str] = set()
        self.hint_levels: dict[str, int] = {}
        self.console = Console(highlight=False)

    # -- the one entry point -------------------------------------------------------------------------
    @line_magic
    def tutor(self, line: str) -> None:
        """%tutor check ID · next · hint ID · show ID · init --student ID (see `%tutor help`)."""
        try:
            words = shlex.split(line)
        except ValueError as error:
            self._error(UsageError(f"%tutor cannot read this line: {error}.", USAGE))
            return
        command, arguments = (words[0], words[1:]) if words else ("help", [])
        handlers = {
            "check": self.check,
            "next": self.next,
            "hint": self.hint,
            "show": self.show,
            "init": self.init,
            "help": lambda _: self.console.print(USAGE),
        }
        try:
            if command not in handlers:
                raise UsageError(UNKNOWN_COMMAND.format(command=command), USAGE)
            handlers[command](arguments)
        except TutorError as error:
            self._error(error)
        except Exception as error:  # noqa: BLE001 - a short message in the notebook, never a traceback
            if os.environ.get("TUTOR_DEBUG"):
                raise
            self._error(TutorError(INTERNAL_ERROR.format(error=f"{type(error).__name__}: {error}")))

    def _error(self, error: TutorError) -> None:
        self.console.print(f"error: {error.message}", style="bold red")
        if error.hint:
            self.console.print(error.hint, style="yellow")

    # -- where the student is ------------------------------------------------------------------------
    @property
    def course(self) -> Course:
        return course()

    def workspace(self) -> Workspace | None:
        """The workspace the kernel's folder is in (the notebook's folder), if any."""
        try:
            found = find_workspace(Path.cwd())
        except (NotAWorkspace, TutorError):
            return None
        return dataclasses.replace(found, student=self.student) if self.student else found

    def _exercise(self, command: str, positional: list[str]) -> Exercise:
        if len(positional) != 1:
            raise UsageError(MISSING_ARGUMENT.format(command=command, what="one exercise id"), USAGE)
        return self.course.exercise(positional[0])

    def _cells(self) -> list[str]:
        """The cells the kernel ran, oldest first (IPython's `In`; In[0] is always empty)."""
        shell = self.shell
        assert shell is not None  # a registered magic always has its shell
        history = shell.user_ns.get("In") or getattr(shell.history_manager, "input_hist_parsed", [])
        return [str(cell) for cell in list(history)[1:]]

    # -- commands --------------------------------------------------------------------------------------
    def check(self, arguments: list[str]) -> None:
        from tutor import render
        from tutor.core import limits_for

        positional, options = _options("check", arguments, set(), {"--timeout", "--seed"})
        exercise = self._exercise("check", positional)
        if not exercise.is_code:
            raise UsageError(NOT_CODE.format(id=exercise.id), NOT_CODE_HINT.format(id=exercise.id))
        timeout = (
            _number("check", "--timeout", options["--timeout"], float) if "--timeout" in options else None
        )
        seed = _number("check", "--seed", options["--seed"], int) if "--seed" in options else None
        limits = limits_for(self.workspace(), call_seconds=timeout)
        # A plain line, not rich's spinner: in Jupyter that needs ipywidgets, and warns without it.
        self.console.print(f"Checking {exercise.id} against PyTorch…", style="dim")
        result = check_cells(exercise, self._cells(), limits, seed)
        if result.passed:
            self.passed.add(exercise.id)
        self.console.print(render.check_result(result))
        if result.isolation == "none":
            from tutor.checking.isolation import NOT_ISOLATED, support

            self.console.print("warning: " + NOT_ISOLATED.format(detail=support().detail), style="yellow")
        self.console.print(render.notebook_after_check(exercise, result.passed))

    def next(self, arguments: list[str]) -> None:
        from tutor.core import course_states, next_exercise

        _options("next", arguments, set(), set())
        rows = course_states(self.workspace(), self.course)
        rows = [
            dataclasses.replace(row, state=ExerciseState.DONE) if row.exercise.id in self.passed else row
            for row in rows
        ]
        upcoming = next_exercise(rows)
        if upcoming is None:
            self.console.print("Every exercise is done. Congratulations!", style="green")
            return
        self._statement(upcoming)

    def show(self, arguments: list[str]) -> None:
        positional, _ = _options("show", arguments, set(), set())
        self._statement(self._exercise("show", positional))

    def _statement(self, exercise: Exercise) -> None:
        from tutor import render

        text = None
        if not exercise.is_code:
            from tutor.questions import question_text

            text = question_text(exercise, self.workspace() or self._notebook_identity())
        self.console.print(render.statement(self.course, exercise, None, text))
        self.console.print(render.notebook_steps(exercise))

    def _notebook_identity(self) -> Workspace | None:
        """Without a workspace, the student id from `%tutor init` alone (it picks the numbers)."""
        return Workspace(root=Path.cwd(), student=self.student) if self.student else None

    def hint(self, arguments: list[str]) -> None:
        from tutor import render
        from tutor.core import hint_levels

        positional, options = _options("hint", arguments, {"--all"}, set())
        exercise = self._exercise("hint", positional)
        show_all = bool(options.get("--all"))
        workspace = self.workspace()
        if workspace is not None:
            shown = hint_levels(workspace, exercise, show_all)
        else:  # no workspace to remember the level in: the kernel remembers it
            level = (
                len(exercise.hints)
                if show_all
                else min(self.hint_levels.get(exercise.id, 0) + 1, len(exercise.hints))
            )
            self.hint_levels[exercise.id] = level
            shown = list(exercise.hints[:level])
        self.console.print(render.hints(exercise, shown, again=f"run `%tutor hint {exercise.id}` again"))

    def init(self, arguments: list[str]) -> None:
        positional, options = _options("init", arguments, set(), {"--student"})
        if positional or not options.get("--student"):
            raise UsageError(MISSING_ARGUMENT.format(command="init", what="--student ID"), USAGE)
        self.student = str(options["--student"])
        self.console.print(STUDENT_SET.format(student=self.student), style="green")


def check_cells(exercise: Exercise, cells: list[str], limits: Any, seed: int | None = None) -> Any:
    """Check `exercise` against the statements it needs from `cells`, in the sandboxed worker.

    The cells go into a private notebook file, checked as `tutor check --file` checks one."""
    from tutor.checking.engine import CheckOptions, run_check

    with tempfile.TemporaryDirectory(prefix="tutor-notebook-") as folder:
        path = Path(folder) / "notebook.ipynb"
        path.write_text(json.dumps(minimal_notebook(cells)), encoding="utf-8")
        options = CheckOptions.from_environment(
            limits=limits,
            seed=seed,
            display_file=NOTEBOOK_NAME,
            # `from mylib import helper` in a cell: mylib.py next to the notebook (the kernel's folder).
            library=Path.cwd(),
        )
        return run_check(exercise, path, options)


def minimal_notebook(cells: list[str]) -> dict[str, Any]:
    """An nbformat 4.4 notebook of code cells, written by hand: Colab has its own Jupyter
    packages, and the magics need nothing beyond IPython."""
    code = [
        {"cell_type": "code", "source": cell, "metadata": {}, "outputs": [], "execution_count": None}
        for cell in cells
    ]
    return {"cells": code, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}


def load(ipython: Any) -> None:
    ipython.register_magics(TutorMagics)

"""Typed errors raised by the core. Only the CLI edge turns them into messages and exit codes."""

from __future__ import annotations


class TutorError(Exception):
    """A problem the user can fix. `hint` names the next step."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(TutorError):
    """The command was asked for something that does not exist (exit code 2)."""

    exit_code = 2


class UnknownExercise(UsageError):
    def __init__(self, exercise_id: str, known: list[str]) -> None:
        close = [k for k in known if exercise_id.lower() in k or k in exercise_id.lower()]
        hint = f"Did you mean {', '.join(close)}? " if close else ""
        super().__init__(
            f"There is no exercise called {exercise_id!r}.",
            hint + "Run `tutor list` to see every exercise id.",
        )


class NotAWorkspace(UsageError):
    def __init__(self, start: str) -> None:
        super().__init__(
            f"{start} is not inside a cnn-tutor workspace (no tutor.toml found here or above).",
            "Create one with `tutor init my-cnn-work --student YOUR_ID`, then `cd my-cnn-work`.",
        )


class CatalogError(TutorError):
    """The course data is broken: names the file, the field and the fix."""


class WorkspaceError(TutorError):
    """tutor.toml or the workspace layout is unusable."""

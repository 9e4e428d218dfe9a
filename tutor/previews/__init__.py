"""Optional pictures under an exercise's statement in `tutor show`.

An exercise may add ``tutor/previews/<id>.py`` defining ``preview(exercise, workspace) -> Preview``.
It is found by that convention (like ``tutor/questions/<id>.py``), so adding one never touches the
CLI. A preview runs on every `tutor show ID`, so it must stay fast: no torch, no hypothesis. Any
student code it needs runs in the sandboxed worker (tutor.checking.sandbox.Worker), never here.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import RenderableType

    from tutor.catalog import Exercise
    from tutor.checking.sandbox import Worker
    from tutor.workspace import Workspace

MISSING_FILE = "There is no {file} yet. Run `tutor reset {id}` to get the stub."
CANNOT_RUN = "{file} could not be run ({detail}); `tutor check {id}` says why."


@dataclass(frozen=True)
class Preview:
    """What an exercise shows under its statement: pictures (rich renderables) and notes."""

    title: str
    pictures: tuple[RenderableType, ...] = ()
    """Laid out side by side as the terminal's width allows (e.g. tutor.pictures.Picture)."""
    notes: tuple[str, ...] = ()
    """Plain sentences for the student, e.g. which functions are not written yet."""


def preview(exercise: Exercise, workspace: Workspace | None) -> Preview | None:
    """The exercise's preview, or None if it has no preview module."""
    name = f"{__name__}.{exercise.id}"
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name).preview(exercise, workspace)


def save_preview_png(shown: Preview | None, path: Path, exercise_id: str) -> str:
    """Save the preview's pictures side by side as one PNG; returns a sentence saying what happened."""
    from tutor.pictures import save_pictures_png

    pictures = [p for p in (shown.pictures if shown else ()) if hasattr(p, "rgb_pixels")]
    if not pictures:
        return f"No picture saved to {path}: `tutor show {exercise_id}` has no pictures to save."
    save_pictures_png(path, pictures)
    titles = [str(getattr(p, "title", "") or "picture") for p in pictures]
    return f"Saved {path}: {' | '.join(titles)} (left to right)."


class Unavailable(Exception):
    """The student's code cannot be shown; `note` says why, in a sentence for the student."""

    def __init__(self, note: str) -> None:
        super().__init__(note)
        self.note = note


def describe(value: Any) -> str:
    """What a student's function returned, in words: 'an array of shape (3, 3) and dtype int64'."""
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


@contextlib.contextmanager
def student_module(
    exercise: Exercise, workspace: Workspace, stub_note: str, call_seconds: float, total_seconds: float
) -> Iterator[tuple[Worker, dict[str, Any]]]:
    """The student's file loaded in a sandboxed worker with short preview limits: (worker, found functions).

    Raises Unavailable, with a note for the student, when the file is missing, still the stub
    (`stub_note`, formatted with {file} and {function}), cannot be imported, or the worker fails.
    """
    from tutor.checking.sandbox import Worker, WorkerFailure
    from tutor.checking.static import preflight
    from tutor.checking.submission import UnsafeFile, snapshot
    from tutor.core import limits_for
    from tutor.workspace import pristine_stub

    path = workspace.exercise_file(exercise)
    names = {"file": workspace.display(path), "id": exercise.id, "function": exercise.functions[0]}
    try:
        submission = snapshot(path, workspace.root, exercise=exercise)
    except FileNotFoundError:
        raise Unavailable(MISSING_FILE.format(**names)) from None
    except (OSError, UnsafeFile) as error:
        raise Unavailable(CANNOT_RUN.format(detail=str(error), **names)) from None
    if submission.source == pristine_stub(exercise).read_bytes():
        raise Unavailable(stub_note.format(**names))
    if preflight(path, exercise.forbidden_imports(), submission.source) is not None:
        raise Unavailable(CANNOT_RUN.format(detail="it cannot be imported as it is", **names))
    limits = limits_for(workspace)
    limits = replace(
        limits,
        call_seconds=min(limits.call_seconds, call_seconds),
        total_seconds=min(limits.total_seconds, total_seconds),
    )
    try:
        with Worker(
            limits, exercise.forbidden_imports(), submission=submission, provided=exercise.allowed_imports
        ) as worker:
            loaded = worker.load(worker.student_path(path), exercise.id, exercise.functions)
            if not loaded.ok:
                error = loaded.error or {}
                detail = f"{error.get('type', 'an error')}: {str(error.get('message', '')).strip()[:120]}"
                raise Unavailable(CANNOT_RUN.format(detail=detail, **names))
            yield worker, loaded.extra.get("found", {})
    except WorkerFailure as failure:
        raise Unavailable(CANNOT_RUN.format(detail=failure.detail, **names)) from None

"""Optional pictures under an exercise's statement in `tutor show`.

An exercise may add ``tutor/previews/<id>.py`` defining ``preview(exercise, workspace) -> Preview``.
It is found by that convention (like ``tutor/questions/<id>.py``), so adding one never touches the
CLI. A preview runs on every `tutor show ID`, so it must stay fast: no torch, no hypothesis. Any
student code it needs runs in the sandboxed worker (tutor.checking.sandbox.Worker), never here.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType

    from tutor.catalog import Exercise
    from tutor.workspace import Workspace


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

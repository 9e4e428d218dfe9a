"""`tutor show max_pool2d`: a sample image padded with −inf, a few pooling windows coloured in, and
the student's output with the pixels those windows become (see tutor/previews/_pooling.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.previews._pooling import MAX, pooling_preview

if TYPE_CHECKING:
    from tutor.catalog import Exercise
    from tutor.previews import Preview
    from tutor.workspace import Workspace


def preview(exercise: Exercise, workspace: Workspace | None) -> Preview:
    return pooling_preview(exercise, workspace, MAX)

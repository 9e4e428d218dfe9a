"""`tutor show image_kernels`: a sample image, and the student's kernels applied to it.

The student's functions run in the sandboxed worker (NumPy only), which sends back the kernels
as plain arrays; they are applied here with NumPy. Nothing here knows the right kernels: when the
file is still the stub or broken, only the sample image is shown, with a note saying why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from tutor.pictures import Picture, Scale
from tutor.previews import Preview, Unavailable, describe, student_module

if TYPE_CHECKING:
    from tutor.catalog import Exercise
    from tutor.workspace import Workspace

HEIGHT, WIDTH = 16, 18
"""Small enough for two pictures side by side in 80 columns (two characters per pixel)."""
PREVIEW_CALL_SECONDS = 5.0
PREVIEW_TOTAL_SECONDS = 10.0
GRAY = Scale("gray", 0.0, 1.0)
SIGNED = ("sobel_x", "sobel_y", "laplacian")
"""Kernels whose output is signed: drawn red (+) and blue (−) around white 0."""

TITLE = "Your kernels on a sample image"
NO_WORKSPACE = "Run `tutor show image_kernels` inside your workspace (made by `tutor init`) to see your own kernels on this image."
STUB = "Your kernels appear here, applied to this image, as soon as the functions in {file} return them."
NOT_WRITTEN = "{function}() is not written yet (it raises NotImplementedError)."
RAISED = "{function}() raised {error}; `tutor check image_kernels` shows where."
NOT_A_KERNEL = (
    "{function}() returned {what}, not a (3, 3) array of numbers; `tutor check image_kernels` explains."
)
MISSING_FUNCTION = "{file} defines no {function}()."
SIGNED_LEGEND = "sobel_x, sobel_y, laplacian: red where the output is positive, blue where negative, white at 0 (without colour: the denser, the larger in size)."
CHECK_REMINDER = (
    "These pictures only show what your kernels do; `tutor check image_kernels` says whether they are right."
)


def sample_image() -> np.ndarray:
    """A dark background with a bright square (straight vertical and horizontal edges) and a
    grey disc (edges in every direction), values in [0, 1]."""
    rows, cols = np.mgrid[0:HEIGHT, 0:WIDTH]
    image = np.full((HEIGHT, WIDTH), 0.1)
    image[3:11, 2:8] = 0.9
    image[(rows - 9.5) ** 2 + (cols - 12.5) ** 2 <= 4.3**2] = 0.55
    return image


def apply(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Cross-correlate (no flip, like corr2d and a CNN layer), repeating the border pixels so the
    output keeps the image's size and the border itself is not an edge."""
    padded = np.pad(image, 1, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, kernel.shape)
    return np.einsum("ijab,ab->ij", windows, kernel)


def _as_kernel(value: Any) -> np.ndarray | None:
    if isinstance(value, np.ndarray) and value.shape == (3, 3) and value.dtype.kind in "iuf":
        kernel = value.astype(np.float64)
        if np.isfinite(kernel).all():
            return kernel
    return None


def student_kernels(exercise: Exercise, workspace: Workspace) -> tuple[dict[str, np.ndarray], list[str]]:
    """The kernels the student's file returns (run in the sandboxed worker), and notes on the rest."""
    file = workspace.display(workspace.exercise_file(exercise))
    kernels: dict[str, np.ndarray] = {}
    notes: list[str] = []
    try:
        with student_module(exercise, workspace, STUB, PREVIEW_CALL_SECONDS, PREVIEW_TOTAL_SECONDS) as (
            worker,
            found,
        ):
            for function in exercise.functions:
                if function not in found:
                    notes.append(MISSING_FUNCTION.format(file=file, function=function))
                    continue
                reply = worker.call(function, (), {})
                if not reply.ok:
                    error = reply.error or {}
                    if error.get("type") == "NotImplementedError":
                        notes.append(NOT_WRITTEN.format(function=function))
                    else:
                        notes.append(RAISED.format(function=function, error=error.get("type", "an error")))
                    continue
                kernel = _as_kernel(reply.value)
                if kernel is None:
                    notes.append(NOT_A_KERNEL.format(function=function, what=describe(reply.value)))
                else:
                    kernels[function] = kernel
    except Unavailable as why:
        return {}, [why.note]
    return kernels, notes


def preview(exercise: Exercise, workspace: Workspace | None) -> Preview:
    image = sample_image()
    pictures = [Picture(image, GRAY, "sample image")]
    if workspace is None:
        return Preview(TITLE, tuple(pictures), (NO_WORKSPACE,))
    kernels, notes = student_kernels(exercise, workspace)
    for function, kernel in kernels.items():
        out = apply(image, kernel)
        scale = Scale.for_arrays(out) if function in SIGNED else GRAY
        pictures.append(Picture(out, scale, function))
    if any(function in SIGNED for function in kernels):
        notes.append(SIGNED_LEGEND)
    if kernels:
        notes.append(CHECK_REMINDER)
    return Preview(TITLE, tuple(pictures), tuple(notes))

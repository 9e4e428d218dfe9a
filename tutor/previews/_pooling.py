"""What `tutor show max_pool2d` and `tutor show avg_pool2d` draw: a sample image with a few pooling
windows coloured in, and the student's pooled output with the same colours on the pixels those
windows become.

The student's function runs in the sandboxed worker (NumPy only) on the sample; only the array it
returns comes back, and it is drawn here. Nothing here computes pooling: the right output is never
shown. When the file is still the stub, broken or too slow, only the input and its windows are drawn,
with a note saying why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tutor.pictures import Picture, Scale, Tint
from tutor.previews import Preview, Unavailable, describe, student_module

if TYPE_CHECKING:
    from tutor.catalog import Exercise
    from tutor.workspace import Workspace

SIZE = 16
"""The sample is SIZE × SIZE; padded, it is 2·SIZE + 4 characters wide, so input and output sit side
by side in 80 columns."""
KERNEL, STRIDE, PADDING = 3, 2, 1
OUT = (SIZE + 2 * PADDING - KERNEL) // STRIDE + 1
"""8: the output's height and width, by ⌊(n + 2p − f)/s⌋ + 1."""
SCALE = Scale("gray", -1.0, 1.0)
"""Fixed, so input and output share their colours: −1 (and −inf) black, 0 mid-grey, 1 white."""
WINDOWS = ((0, 0), (2, 6), (4, 4))
"""Output positions whose windows are coloured in: a corner that is mostly padding, a window over
the thin bright line, and one over the corner of the bright square. None of them overlap."""
COLOURS = ((0, 190, 255), (255, 120, 0), (40, 220, 60))
COLOUR_NAMES = ("cyan", "orange", "green")
PAD_STRENGTH = 0.35
PAD_COLOUR = (150, 60, 200)
PAD_LABEL = "·"
PREVIEW_CALL_SECONDS = 2.0
"""Pooling a 16 × 16 sample takes milliseconds; a file that takes longer is not waited for long."""
PREVIEW_TOTAL_SECONDS = 4.0

NO_WORKSPACE = (
    "Run `tutor show {id}` inside your workspace (made by `tutor init`) to see your own output on this image."
)
STUB = "Your pooled output appears here, next to the input, as soon as {function}() in {file} returns it."
NOT_WRITTEN = "{function}() is not written yet (it raises NotImplementedError)."
RAISED = "{function}() raised {error} on this image; `tutor check {id}` shows where."
NOT_AN_OUTPUT = "{function}() returned {what}, not a (1, 1, {out}, {out}) array of numbers (see the formula for H_out); `tutor check {id}` explains."
MISSING_FUNCTION = "{file} defines no {function}()."
WINDOWS_NOTE = (
    "{call} on this {size}×{size} image; the ring is the padding. Each coloured window becomes the "
    "output pixel of its colour (numbered without colour): {legend}."
)
VALUES_NOTE = "Your values there: {values}."
CHECK_REMINDER = "This picture only shows what your code does; `tutor check {id}` says whether it is right."


@dataclass(frozen=True)
class Pooling:
    """What differs between the two pooling exercises' pictures."""

    function: str
    pad_value: float
    """What the padding ring holds, as the pooling sees it."""
    pad_words: str
    """How the padding is filled, for the input's caption."""


MAX = Pooling("max_pool2d", -np.inf, "−inf")
AVG = Pooling("avg_pool2d", 0.0, "0")


def sample_image() -> np.ndarray:
    """A dark, negative background (so padding with 0 instead of −inf shows at the border), a bright
    square, a thin bright vertical line (max pooling keeps it, averaging dims it) and one bright dot."""
    rows = np.mgrid[0:SIZE, 0:SIZE][0]
    image = -0.85 + 0.3 * rows / (SIZE - 1)  # −0.85 at the top to −0.55 at the bottom
    image[7:13, 2:8] = 1.0
    image[2:14, 12] = 0.7
    image[3, 4] = 1.0
    return image


def padded(image: np.ndarray, pooling: Pooling) -> np.ndarray:
    return np.pad(image, PADDING, constant_values=pooling.pad_value)


def window_tints(shape: tuple[int, int]) -> tuple[Tint, ...]:
    """The padding ring, then each window of WINDOWS, as tints of the padded input."""
    ring = np.ones(shape, dtype=bool)
    ring[PADDING:-PADDING, PADDING:-PADDING] = False
    tints = [Tint(ring, PAD_COLOUR, PAD_LABEL, PAD_STRENGTH)]
    for number, ((i, j), colour) in enumerate(zip(WINDOWS, COLOURS), start=1):
        mask = np.zeros(shape, dtype=bool)
        mask[i * STRIDE : i * STRIDE + KERNEL, j * STRIDE : j * STRIDE + KERNEL] = True
        tints.append(Tint(mask, colour, str(number)))
    return tuple(tints)


def output_tints() -> tuple[Tint, ...]:
    """The output pixels the coloured windows become."""
    tints = []
    for number, ((i, j), colour) in enumerate(zip(WINDOWS, COLOURS), start=1):
        mask = np.zeros((OUT, OUT), dtype=bool)
        mask[i, j] = True
        tints.append(Tint(mask, colour, str(number)))
    return tuple(tints)


def call_text(pooling: Pooling) -> str:
    return f"{pooling.function}(x, kernel_size={KERNEL}, stride={STRIDE}, padding={PADDING})"


def _as_output(value: Any) -> np.ndarray | None:
    if isinstance(value, np.ndarray) and value.shape == (1, 1, OUT, OUT) and value.dtype.kind in "iuf":
        return value[0, 0].astype(np.float64)
    return None


def student_output(
    exercise: Exercise, workspace: Workspace, pooling: Pooling, image: np.ndarray
) -> tuple[np.ndarray | None, list[str]]:
    """The student's pooled sample (run in the sandboxed worker) as a 2-D array, or None and a note why."""
    file = workspace.display(workspace.exercise_file(exercise))
    function, eid = pooling.function, exercise.id
    try:
        with student_module(exercise, workspace, STUB, PREVIEW_CALL_SECONDS, PREVIEW_TOTAL_SECONDS) as (
            worker,
            found,
        ):
            if function not in found:
                return None, [MISSING_FUNCTION.format(file=file, function=function)]
            x = image[None, None].copy()
            reply = worker.call(function, (x,), {"kernel_size": KERNEL, "stride": STRIDE, "padding": PADDING})
    except Unavailable as why:
        return None, [why.note]
    if not reply.ok:
        error = reply.error or {}
        if error.get("type") == "NotImplementedError":
            return None, [NOT_WRITTEN.format(function=function)]
        return None, [RAISED.format(function=function, error=error.get("type", "an error"), id=eid)]
    out = _as_output(reply.value)
    if out is None:
        return None, [NOT_AN_OUTPUT.format(function=function, what=describe(reply.value), out=OUT, id=eid)]
    return out, []


def pooling_preview(exercise: Exercise, workspace: Workspace | None, pooling: Pooling) -> Preview:
    image = sample_image()
    shown = padded(image, pooling)
    title = f"Your {pooling.function} on a sample image"
    legend = ", ".join(
        f"{n} {name} → [{i}, {j}]" for n, (name, (i, j)) in enumerate(zip(COLOUR_NAMES, WINDOWS), start=1)
    )
    pictures = [
        Picture(shown, SCALE, f"input x, padded with {pooling.pad_words}", tints=window_tints(shown.shape))
    ]
    notes = [WINDOWS_NOTE.format(call=call_text(pooling), size=SIZE, legend=legend)]
    if workspace is None:
        return Preview(title, tuple(pictures), (*notes, NO_WORKSPACE.format(id=exercise.id)))
    out, problems = student_output(exercise, workspace, pooling, image)
    if out is None:
        return Preview(title, tuple(pictures), (*notes, *problems))
    pictures.append(Picture(out, SCALE, f"your {pooling.function}", tints=output_tints()))
    values = ", ".join(f"{n} → {out[i, j]:.3g}" for n, (i, j) in enumerate(WINDOWS, start=1))
    notes += [VALUES_NOTE.format(values=values), CHECK_REMINDER.format(id=exercise.id)]
    return Preview(title, tuple(pictures), tuple(notes))

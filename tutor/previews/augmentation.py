"""`tutor show augmentation`: a colour sample image and the student's augmentations of it.

The student's functions run in the sandboxed worker (NumPy only); only the arrays they return come
back, and they are drawn here. Nothing here knows the right answers: when the file is still the
stub or broken, only the sample image is shown, with a note saying why.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text

from tutor.pictures import RAMP, UPPER_HALF
from tutor.previews import Preview, Unavailable, describe, student_module

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

    from tutor.catalog import Exercise
    from tutor.workspace import Workspace

HEIGHT, WIDTH = 14, 16
"""Two characters per pixel: three pictures side by side fit in 110 columns, two in 80."""
SEEDS = (0, 1, 2, 3)
PADDING, JITTER = 3, 0.4
PREVIEW_CALL_SECONDS = 5.0
PREVIEW_TOTAL_SECONDS = 10.0

TITLE = "Your augmentation on a sample image"
NO_WORKSPACE = "Run `tutor show augmentation` inside your workspace (made by `tutor init`) to see your own augmentations."
STUB = "Your augmented samples appear here as soon as the functions in {file} return them."
NOT_WRITTEN = "{function}() is not written yet (it raises NotImplementedError)."
RAISED = "{function}() raised {error}; `tutor check augmentation` shows where."
NOT_AN_IMAGE = "{function}() returned {what}, not a ({channels}, {height}, {width}) array of numbers; `tutor check augmentation` explains."
OUT_OF_RANGE = (
    "{function}() returned values outside [0, 1] (from {low:.3g} to {high:.3g}); they are drawn clipped."
)
MISSING_FUNCTION = "{file} defines no {function}()."
ONE_BY_ONE = "augment() is not working yet, so each function you have written is shown on its own."
SEEDS_NOTE = "augment(x, seed, padding={padding}, jitter={jitter}) for seeds {seeds}: the same seed always gives the same picture."
CHECK_REMINDER = (
    "These pictures only show what your code does; `tutor check augmentation` says whether it is right."
)


def sample_image() -> np.ndarray:
    """A (3, H, W) picture in [0, 1] that is not symmetric: a sky, grass, a red house on the
    left with a door, and a yellow sun at the top right, so a flip, a shift and a change of
    brightness or contrast are all easy to see."""
    rows, cols = np.mgrid[0:HEIGHT, 0:WIDTH]
    sky = np.stack([0.35 + 0.02 * rows, 0.6 + 0.02 * rows, np.full((HEIGHT, WIDTH), 0.95)])
    image = sky.astype(np.float64)
    grass = rows >= 10
    image[:, grass] = np.array([0.25, 0.65, 0.2])[:, None]
    house = (rows >= 5) & (rows < 11) & (cols >= 2) & (cols < 8)
    image[:, house] = np.array([0.8, 0.2, 0.15])[:, None]
    roof = (rows >= 2) & (rows < 5) & (np.abs(cols - 4.5) <= rows - 1.5)
    image[:, roof] = np.array([0.45, 0.2, 0.1])[:, None]
    door = (rows >= 8) & (rows < 11) & (cols >= 4) & (cols < 6)
    image[:, door] = np.array([0.3, 0.15, 0.05])[:, None]
    sun = (rows - 2.5) ** 2 + (cols - 12.5) ** 2 <= 2.3**2
    image[:, sun] = np.array([1.0, 0.85, 0.2])[:, None]
    return np.clip(image, 0.0, 1.0)


class ColourPicture:
    """A rich renderable: a (3, H, W) image in [0, 1] as half blocks in true colour, or as a
    character ramp of its brightness without colour. A 1-channel image is drawn in grey."""

    def __init__(self, image: np.ndarray, title: str = "") -> None:
        values = np.clip(np.nan_to_num(np.asarray(image, dtype=np.float64)), 0.0, 1.0)
        self.rgb = np.repeat(values, 3, axis=0) if values.shape[0] == 1 else values[:3]
        self.title = title

    @property
    def width(self) -> int:
        return max(self.rgb.shape[2] * 2, len(self.title))

    def __rich_measure__(self, console: Console, options: ConsoleOptions):  # noqa: ANN204 - rich protocol
        from rich.measure import Measurement

        return Measurement(self.width, self.width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.title:
            yield Text(self.title, style="bold")
        _, rows, cols = self.rgb.shape
        if console.no_color or console.color_system is None:
            brightness = self.rgb.mean(axis=0)
            for row in brightness:
                yield Text("".join(RAMP[min(len(RAMP) - 1, int(v * len(RAMP)))] * 2 for v in row))
            return
        for top in range(0, rows, 2):
            line = Text()
            for j in range(cols):
                upper = Color.from_rgb(*self._pixel(top, j))
                lower = Color.from_rgb(*self._pixel(top + 1, j)) if top + 1 < rows else None
                line.append(UPPER_HALF * 2, Style(color=upper, bgcolor=lower))
            yield line

    def rgb_pixels(self) -> np.ndarray:
        """The image as an (h, w, 3) uint8 array (for --save-png)."""
        return np.round(255 * np.moveaxis(self.rgb, 0, -1)).astype(np.uint8)

    def _pixel(self, i: int, j: int) -> tuple[int, int, int]:
        r, g, b = (int(round(255 * v)) for v in self.rgb[:, i, j])
        return r, g, b


def _as_image(value: Any, shape: tuple[int, ...]) -> np.ndarray | None:
    if isinstance(value, np.ndarray) and value.shape == shape and value.dtype.kind in "iuf":
        return value.astype(np.float64)
    return None


def student_samples(
    exercise: Exercise, workspace: Workspace, image: np.ndarray
) -> tuple[list[tuple[str, np.ndarray]], list[str]]:
    """(caption, image) for what the student's functions return (run in the sandboxed worker), and notes."""
    file = workspace.display(workspace.exercise_file(exercise))
    samples: list[tuple[str, np.ndarray]] = []
    notes: list[str] = []

    def call(function: str, caption: str, *args: Any, **kwargs: Any) -> bool:
        reply = worker.call(function, (image, *args), kwargs)
        if not reply.ok:
            error = reply.error or {}
            if error.get("type") == "NotImplementedError":
                notes.append(NOT_WRITTEN.format(function=function))
            else:
                notes.append(RAISED.format(function=function, error=error.get("type", "an error")))
            return False
        result = _as_image(reply.value, image.shape)
        if result is None:
            c, h, w = image.shape
            notes.append(
                NOT_AN_IMAGE.format(
                    function=function, what=describe(reply.value), channels=c, height=h, width=w
                )
            )
            return False
        finite = result[np.isfinite(result)]
        if finite.size and (finite.min() < 0.0 or finite.max() > 1.0):
            notes.append(OUT_OF_RANGE.format(function=function, low=finite.min(), high=finite.max()))
        samples.append((caption, result))
        return True

    try:
        with student_module(exercise, workspace, STUB, PREVIEW_CALL_SECONDS, PREVIEW_TOTAL_SECONDS) as (
            worker,
            found,
        ):
            if "augment" in found and call(
                "augment", f"augment, seed {SEEDS[0]}", SEEDS[0], padding=PADDING, jitter=JITTER
            ):
                for seed in SEEDS[1:]:
                    call("augment", f"augment, seed {seed}", seed, padding=PADDING, jitter=JITTER)
                notes.append(
                    SEEDS_NOTE.format(padding=PADDING, jitter=JITTER, seeds=", ".join(map(str, SEEDS)))
                )
                return samples, notes
            notes.append(ONE_BY_ONE)
            one_by_one = (
                ("hflip", "hflip(x)", ()),
                ("random_crop", f"random_crop(x, {PADDING}, 0)", (PADDING, 0)),
                ("adjust_brightness", "adjust_brightness(x, 1.5)", (1.5,)),
                ("adjust_contrast", "adjust_contrast(x, 0.4)", (0.4,)),
            )
            for function, caption, args in one_by_one:
                if function not in found:
                    notes.append(MISSING_FUNCTION.format(file=file, function=function))
                else:
                    call(function, caption, *args)
    except Unavailable as why:
        return [], [why.note]
    return samples, notes


def preview(exercise: Exercise, workspace: Workspace | None) -> Preview:
    image = sample_image()
    pictures = [ColourPicture(image, "sample image x")]
    if workspace is None:
        return Preview(TITLE, tuple(pictures), (NO_WORKSPACE,))
    samples, notes = student_samples(exercise, workspace, image)
    pictures += [ColourPicture(sample, caption) for caption, sample in samples]
    if samples:
        notes.append(CHECK_REMINDER)
    return Preview(TITLE, tuple(pictures), tuple(notes))

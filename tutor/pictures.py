"""Arrays as pictures: half-block images in the terminal, and PNG files on request.

A 2-D array becomes an image, two pixels per character cell: the upper half block "▀" is
drawn in the top pixel's colour on the bottom pixel's colour. Without colour (NO_COLOR, or
output that is not a terminal) the same picture is drawn with a ramp of characters, so it
still reads. PNG files are written with pypng; nothing here encodes an image by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.color import Color
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text

UPPER_HALF = "▀"
# From light to dark on a white page, dark to light on a dark terminal: read as "more".
RAMP = " .:-=+*#%@"
PNG_SCALE = 16
PNG_GAP = 8
BACKGROUND = (255, 255, 255)


def _finite(values: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(values), values, 0.0)


@dataclass(frozen=True)
class Scale:
    """How values map to colours: 'gray' from low to high, 'diverging' around zero (blue − / red +),
    or 'mask' (0 pale, 1 amber) for a map of wrong cells."""

    kind: str
    low: float
    high: float

    @staticmethod
    def for_arrays(*arrays: np.ndarray) -> Scale:
        """One scale shared by several arrays, so equal values get equal colours."""
        finite = np.concatenate(
            [_finite(np.asarray(a, dtype=np.float64)).ravel() for a in arrays] or [np.zeros(1)]
        )
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
        if low < 0 < high or (low < 0 and high <= 0):
            bound = max(abs(low), abs(high)) or 1.0
            return Scale("diverging", -bound, bound)
        return Scale("gray", low, high if high > low else low + 1.0)

    def unit(self, value: float) -> float:
        """The value's place on the scale, 0 … 1 (NaN and ±inf sit at the ends)."""
        if np.isnan(value):
            return 1.0
        return float(np.clip((value - self.low) / (self.high - self.low), 0.0, 1.0))

    def rgb(self, value: float) -> tuple[int, int, int]:
        if np.isnan(value):
            return (255, 0, 255)  # magenta: not a number
        t = self.unit(value)
        if self.kind == "mask":
            return (255, 160, 0) if t >= 0.5 else (225, 225, 225)  # amber where wrong, pale elsewhere
        if self.kind == "gray":
            level = int(round(40 + 215 * t))
            return (level, level, level)
        # diverging: blue (−) → white (0) → red (+)
        if t < 0.5:
            s = t / 0.5
            return (int(40 + 215 * s), int(90 + 165 * s), 255)
        s = (t - 0.5) / 0.5
        return (255, int(255 - 190 * s), int(255 - 190 * s))

    def char(self, value: float) -> str:
        if self.kind == "mask":
            return "x" if self.unit(value) >= 0.5 else "."
        t = abs(self.unit(value) - 0.5) * 2 if self.kind == "diverging" else self.unit(value)
        return RAMP[min(len(RAMP) - 1, int(t * len(RAMP)))]


@dataclass(frozen=True)
class Tint:
    """A region of a picture to point at (e.g. one pooling window): its pixels are blended with a
    colour, so the values underneath still show. Without colour, each of its pixels starts with
    `label` instead (the value's ramp character stays second), so the region reads as e.g. "1@1 1:"."""

    mask: np.ndarray
    """Boolean, the picture's shape: True where the region is."""
    rgb: tuple[int, int, int]
    label: str
    """One character (a digit, say) that marks the region without colour."""
    strength: float = 0.55
    """How much of the colour is mixed in: 0 leaves the value's colour, 1 hides it."""


class Picture:
    """A rich renderable: one 2-D array as a half-block image (or a character ramp without colour)."""

    def __init__(
        self,
        values: np.ndarray,
        scale: Scale | None = None,
        title: str = "",
        marks: np.ndarray | None = None,
        tints: Sequence[Tint] = (),
    ) -> None:
        array = np.asarray(values, dtype=np.float64)
        if array.ndim == 1:
            array = array[None, :]
        if array.ndim != 2:
            raise ValueError(f"a picture needs a 1-D or 2-D array, not shape {array.shape}")
        self.values = array
        self.scale = scale or Scale.for_arrays(array)
        self.title = title
        self.marks = marks
        """Optional boolean mask of pixels to outline (drawn as 'x' without colour)."""
        for tint in tints:
            if np.shape(tint.mask) != array.shape or len(tint.label) != 1:
                raise ValueError(
                    f"a tint needs a mask of shape {array.shape} and a one-character label, "
                    f"not shape {np.shape(tint.mask)} and {tint.label!r}"
                )
        self.tints = tuple(tints)
        """Regions drawn over the values, in order (a later one is mixed in over an earlier one)."""

    @property
    def width(self) -> int:
        return max(self.values.shape[1] * 2, len(self.title))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """Its exact width, so layouts such as rich's Columns can put pictures side by side."""
        return Measurement(self.width, self.width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.title:
            yield Text(self.title, style="bold")
        if console.no_color or console.color_system is None:
            yield from self._ramp()
        else:
            yield from self._half_blocks()

    def _ramp(self) -> RenderResult:
        for i, row in enumerate(self.values):
            line = ""
            for j, value in enumerate(row):
                marked = self.marks is not None and bool(self.marks[i, j])
                labels = [tint.label for tint in self.tints if tint.mask[i, j]]
                if marked:
                    line += "xx"
                elif labels:
                    line += labels[-1] + self.scale.char(value)
                else:
                    line += self.scale.char(value) * 2
            yield Text(line)

    def _half_blocks(self) -> RenderResult:
        rows, cols = self.values.shape
        for top in range(0, rows, 2):
            line = Text()
            for j in range(cols):
                upper = Color.from_rgb(*self._pixel(top, j))
                lower = Color.from_rgb(*self._pixel(top + 1, j)) if top + 1 < rows else None
                line.append(UPPER_HALF * 2, Style(color=upper, bgcolor=lower))
            yield line

    def rgb_pixels(self) -> np.ndarray:
        """The picture's colours as an (h, w, 3) uint8 array, exactly as drawn (for --save-png)."""
        rows, cols = self.values.shape
        return np.array([[self._pixel(i, j) for j in range(cols)] for i in range(rows)], dtype=np.uint8)

    def _pixel(self, i: int, j: int) -> tuple[int, int, int]:
        if self.marks is not None and self.marks[i, j]:
            return (255, 200, 0)  # amber: a pixel that is wrong
        colour = self.scale.rgb(self.values[i, j])
        for tint in self.tints:
            if tint.mask[i, j]:
                colour = _mix(colour, tint.rgb, tint.strength)
        return colour


def _mix(base: tuple[int, int, int], over: tuple[int, int, int], strength: float) -> tuple[int, int, int]:
    r, g, b = (int(round((1 - strength) * x + strength * y)) for x, y in zip(base, over))
    return r, g, b


def _page(blocks: Sequence[np.ndarray], pixel: int) -> list[list[int]]:
    """(h, w, 3) colour blocks laid out left to right on a white page, each pixel a `pixel`-square."""
    if not blocks:
        raise ValueError("nothing to draw")
    scaled = [np.repeat(np.repeat(block, pixel, axis=0), pixel, axis=1) for block in blocks]
    height = max(b.shape[0] for b in scaled) + 2 * PNG_GAP
    width = sum(b.shape[1] for b in scaled) + PNG_GAP * (len(scaled) + 1)
    page = np.empty((height, width, 3), dtype=np.uint8)
    page[:] = BACKGROUND
    left = PNG_GAP
    for block in scaled:
        page[PNG_GAP : PNG_GAP + block.shape[0], left : left + block.shape[1]] = block
        left += block.shape[1] + PNG_GAP
    return page.reshape(height, width * 3).tolist()


def png_rows(panels: Sequence[tuple[np.ndarray, Scale | None]], pixel: int = PNG_SCALE) -> list[list[int]]:
    """Panels laid out left to right on a white page, each value a `pixel`×`pixel` square, as RGB rows."""
    arrays = [(np.atleast_2d(np.asarray(a, dtype=np.float64)), scale) for a, scale in panels]
    blocks = []
    for array, scale in arrays:
        scale = scale or Scale.for_arrays(array)
        blocks.append(
            np.array([[scale.rgb(v) for v in row] for row in array], dtype=np.uint8).reshape(*array.shape, 3)
        )
    return _page(blocks, pixel)


def _write_png(path: Path, rows: list[list[int]]) -> Path:
    import png

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as stream:
        png.Writer(width=len(rows[0]) // 3, height=len(rows), greyscale=False, bitdepth=8).write(stream, rows)
    return path


def save_pictures_png(path: Path, pictures: Sequence[object], pixel: int = PNG_SCALE) -> Path:
    """Write pictures as drawn in the terminal (tints and marks included), side by side, as one PNG.

    Any object with `rgb_pixels() -> (h, w, 3) uint8 array` can be saved (Picture, and the
    colour pictures of previews)."""
    blocks = [picture.rgb_pixels() for picture in pictures if hasattr(picture, "rgb_pixels")]
    return _write_png(path, _page(blocks, pixel))


def save_png(path: Path, panels: Sequence[tuple[np.ndarray, Scale | None]]) -> Path:
    """Write the panels side by side as an RGB PNG (with pypng) and return the path."""
    return _write_png(path, png_rows(panels))


# -- number series (e.g. a training run's loss) as pictures ------------------------------------------------

CURVE_ROWS, CURVE_COLUMNS = 20, 36
"""A series' picture: 10 terminal lines of 72 characters (two pixels per character cell, tall)."""
CURVE, UNDER_CURVE = 1.0, 0.3
CURVE_SCALE = Scale("gray", 0.0, 1.0)


def _resampled(values: np.ndarray, count: int) -> np.ndarray:
    """`count` points along the series: means of equal runs when it is longer, interpolated when shorter."""
    if values.size >= count:
        edges = np.linspace(0, values.size, count + 1).astype(int)
        return np.array([values[a:b].mean() for a, b in zip(edges[:-1], edges[1:])])
    return np.interp(np.linspace(0, values.size - 1, count), np.arange(values.size), values)


def curve_raster(values: Sequence[float], rows: int = CURVE_ROWS, columns: int = CURVE_COLUMNS) -> np.ndarray:
    """A series as a (rows, columns) image: CURVE on the line, UNDER_CURVE below it, 0 above.

    Left to right is first to last; the bottom row is 0 (or the smallest value, if negative) and
    the top row the largest value. Non-finite values are drawn at 0."""
    series = _finite(np.asarray(values, dtype=np.float64).ravel())
    if not series.size:
        return np.zeros((rows, columns))
    points = _resampled(series, columns)
    low, high = min(0.0, float(points.min())), float(points.max())
    high = high if high > low else low + 1.0
    heights = np.round((points - low) / (high - low) * (rows - 1)).astype(int)
    image = np.zeros((rows, columns))
    previous = None
    for column, height in enumerate(heights):
        top = rows - 1 - int(height)
        image[top + 1 :, column] = UNDER_CURVE
        # A steep fall between two columns stays one connected line.
        start, stop = (top, top) if previous is None else (min(top, previous), max(top, previous))
        image[start : stop + 1, column] = CURVE
        previous = top
    return image


def series_title(name: str, values: Sequence[float]) -> str:
    """E.g. 'training loss: 2.37 → 0.116 (141 values; top of the picture 2.4, bottom 0)'."""
    series = np.asarray(values, dtype=np.float64).ravel()
    if not series.size:
        return f"{name}: no values"
    top = float(_resampled(_finite(series), CURVE_COLUMNS).max())
    return (
        f"{name}: {series[0]:.3g} → {series[-1]:.3g} "
        f"({series.size:,} values; top of the picture {top:.2g}, bottom {min(0.0, float(series.min())):.2g})"
    )


def series_picture(name: str, values: Sequence[float]) -> Picture:
    """A number series drawn for the terminal, under its title."""
    return Picture(curve_raster(values), CURVE_SCALE, series_title(name, values))


# -- labelled panels (tutor check --save-png) ---------------------------------------------------------------

# A 3×5 pixel font for panel labels: capitals, digits and the few signs titles use. pypng draws no
# text, and a label is worth more than a dependency.
FONT = {
    "A": ("###", "#.#", "###", "#.#", "#.#"), "B": ("##.", "#.#", "##.", "#.#", "##."),
    "C": ("###", "#..", "#..", "#..", "###"), "D": ("##.", "#.#", "#.#", "#.#", "##."),
    "E": ("###", "#..", "##.", "#..", "###"), "F": ("###", "#..", "##.", "#..", "#.."),
    "G": ("###", "#..", "#.#", "#.#", "###"), "H": ("#.#", "#.#", "###", "#.#", "#.#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"), "J": ("..#", "..#", "..#", "#.#", "###"),
    "K": ("#.#", "#.#", "##.", "#.#", "#.#"), "L": ("#..", "#..", "#..", "#..", "###"),
    "M": ("#.#", "###", "###", "#.#", "#.#"), "N": ("##.", "#.#", "#.#", "#.#", "#.#"),
    "O": ("###", "#.#", "#.#", "#.#", "###"), "P": ("###", "#.#", "###", "#..", "#.."),
    "Q": ("###", "#.#", "#.#", "###", "..#"), "R": ("###", "#.#", "##.", "#.#", "#.#"),
    "S": ("###", "#..", "###", "..#", "###"), "T": ("###", ".#.", ".#.", ".#.", ".#."),
    "U": ("#.#", "#.#", "#.#", "#.#", "###"), "V": ("#.#", "#.#", "#.#", "#.#", ".#."),
    "W": ("#.#", "#.#", "###", "###", "#.#"), "X": ("#.#", "#.#", ".#.", "#.#", "#.#"),
    "Y": ("#.#", "#.#", ".#.", ".#.", ".#."), "Z": ("###", "..#", ".#.", "#..", "###"),
    "0": ("###", "#.#", "#.#", "#.#", "###"), "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"), "3": ("###", "..#", "###", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"), "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"), "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"), "9": ("###", "#.#", "###", "..#", "###"),
    " ": ("...",) * 5, "_": ("...", "...", "...", "...", "###"), "-": ("...", "...", "###", "...", "..."),
    "=": ("...", "###", "...", "###", "..."), ",": ("...", "...", "...", ".#.", "#.."),
    ".": ("...", "...", "...", "...", ".#."), "?": ("###", "..#", ".##", "...", ".#."),
}  # fmt: skip
LABEL_SCALE = 3
"""Each font pixel is a LABEL_SCALE square: capitals 15 pixels tall."""
LABEL_INK = (20, 20, 20)
FRAME = (90, 90, 90)
"""A frame around every panel, so a white value (the top of the grey scale) still shows on the white page."""
GRID = (200, 200, 200)
PANEL_TARGET = 192
"""A panel's longer side in pixels when its array is small: a 3×4 counterexample gets 48-pixel cells."""


def label_pixels(text: str, scale: int = LABEL_SCALE) -> np.ndarray:
    """`text` in capitals as an (h, w, 3) uint8 block, dark on white (characters the font lacks read as '?')."""
    glyphs = [FONT.get(ch, FONT["?"]) for ch in text.upper()]
    mask = np.zeros((5, max(1, 4 * len(glyphs) - 1)), dtype=bool)
    for i, glyph in enumerate(glyphs):
        mask[:, 4 * i : 4 * i + 3] = [[c == "#" for c in row] for row in glyph]
    mask = np.repeat(np.repeat(mask, scale, axis=0), scale, axis=1)
    block = np.empty((*mask.shape, 3), dtype=np.uint8)
    block[:] = BACKGROUND
    block[mask] = LABEL_INK
    return block


def cell_pixels(shape: tuple[int, ...]) -> int:
    """Pixels per value: big enough to read a small counterexample, PNG_SCALE at least."""
    return max(PNG_SCALE, min(64, PANEL_TARGET // max(1, max(shape))))


def panel_pixels(array: np.ndarray, scale: Scale | None, pixel: int) -> np.ndarray:
    """One array as an (h, w, 3) block of pixel-squares, each cell edged in light grey, framed in dark grey."""
    array = np.atleast_2d(np.asarray(array, dtype=np.float64))
    scale = scale or Scale.for_arrays(array)
    colours = np.array([[scale.rgb(v) for v in row] for row in array], dtype=np.uint8).reshape(
        *array.shape, 3
    )
    block = np.repeat(np.repeat(colours, pixel, axis=0), pixel, axis=1)
    if pixel >= 8:
        block[::pixel, :] = GRID
        block[:, ::pixel] = GRID
    framed = np.empty((block.shape[0] + 4, block.shape[1] + 4, 3), dtype=np.uint8)
    framed[:] = FRAME
    framed[2:-2, 2:-2] = block
    return framed


def save_labelled_png(path: Path, panels: Sequence[tuple[str, np.ndarray, Scale | None]]) -> Path:
    """Panels side by side, each under its label, one cell size for all (so they line up), as an RGB PNG."""
    if not panels:
        raise ValueError("nothing to draw")
    pixel = cell_pixels(max((np.atleast_2d(a).shape for _, a, _ in panels), key=max))
    columns = [(label_pixels(title), panel_pixels(array, scale, pixel)) for title, array, scale in panels]
    label_height = max(label.shape[0] for label, _ in columns)
    height = PNG_GAP + label_height + PNG_GAP + max(p.shape[0] for _, p in columns) + PNG_GAP
    widths = [max(label.shape[1], p.shape[1]) for label, p in columns]
    page = np.empty((height, sum(widths) + 2 * PNG_GAP * (len(columns) + 1), 3), dtype=np.uint8)
    page[:] = BACKGROUND
    left = 2 * PNG_GAP
    for (label, panel), width in zip(columns, widths):
        page[PNG_GAP : PNG_GAP + label.shape[0], left : left + label.shape[1]] = label
        top = 2 * PNG_GAP + label_height
        page[top : top + panel.shape[0], left : left + panel.shape[1]] = panel
        left += width + 2 * PNG_GAP
    return _write_png(path, page.reshape(height, -1).tolist())

"""Expected and got, side by side: the visual diff of a failing check's counterexample.

Reads only the small arrays a Counterexample carries (`expected_values`, `got_values`,
`allowed_error`), never the strings. Layout is decided when rich renders, from the console:
side by side only on a terminal wide enough, stacked otherwise, and as pictures when an
array is too wide for a table. Without colour, differing cells are marked with '*'.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from tutor.pictures import CURVE_SCALE, Picture, Scale, curve_raster

if TYPE_CHECKING:
    from pathlib import Path

    from tutor.checking.result import CheckResult, Counterexample

DIFF_MARK = "*"
LEADING_AXIS_NAMES = {4: ("n", "c"), 3: ("c",)}
SHAPE_WORDS = "your output is {got}, expected {expected}: {why}"
LEGEND_PLAIN = f"{DIFF_MARK} marks the cells that differ by more than the tolerance."
LEGEND_COLOUR = "Highlighted: the cells that differ by more than the tolerance; underlined: the worst."
MASK = Scale("mask", 0.0, 1.0)
SHAPE_DIMENSIONS = "yours has {got_ndim} dimensions, the answer has {expected_ndim}"


ONE_VALUE = "Expected {expected}, yours is {got}."
WINDOW = 8
"""Rows and columns of the window shown around the worst cell when a slice is too big to draw whole."""
MAX_STACKED_LINES = 40
"""Pictures stacked one under the other taller than this become a window of cells instead."""
WINDOW_CAPTION = "rows {rows}, columns {cols} of the {h}×{w} slice, around the worst cell"


def to_array(values: Any, shape: Any = None) -> np.ndarray:
    """Nested lists from a Counterexample back to float64 ('nan', 'inf' strings included).

    An empty array's shape does not survive as lists ((0, 3) becomes []), so pass `shape` when known.
    """
    array = np.array(values, dtype=np.float64)
    if shape is not None and array.size == 0 and int(np.prod(shape)) == 0:
        array = array.reshape(tuple(shape))
    return array


def shape_sentence(expected: tuple[int, ...], got: tuple[int, ...], explanation: str | None) -> str:
    """E.g. 'your output is (1, 2, 3, 3), expected (1, 2, 4, 4): height 3 vs 4 — check … s=2.'"""
    if explanation:
        why = explanation
    elif len(expected) != len(got):
        why = SHAPE_DIMENSIONS.format(got_ndim=len(got), expected_ndim=len(expected)) + "."
    else:
        why = (
            "; ".join(f"axis {i}: {g} vs {e}" for i, (e, g) in enumerate(zip(expected, got)) if e != g) + "."
        )
    return SHAPE_WORDS.format(got=tuple(got), expected=tuple(expected), why=why)


@dataclass(frozen=True)
class DiffSlice:
    """A 2-D view of expected and got, and which cells differ."""

    expected: np.ndarray
    got: np.ndarray
    differs: np.ndarray
    worst: tuple[int, int] | None
    label: str = ""
    """Which slice of a 3-D or 4-D array this is, e.g. 'n=0, c=1', empty for 1-D and 2-D."""


def errors(expected: np.ndarray, got: np.ndarray) -> np.ndarray:
    """|got − expected|, with inf where one is NaN/inf and the other is not the same special value."""
    same_special = (expected == got) | (np.isnan(expected) & np.isnan(got))
    finite = np.isfinite(expected) & np.isfinite(got)
    with np.errstate(invalid="ignore"):
        error = np.abs(np.where(finite, got - expected, 0.0))
    return np.where(finite, error, np.where(same_special, 0.0, np.inf))


def worst_slice(
    expected: np.ndarray, got: np.ndarray, allowed: float | None, relative: float | None = None
) -> DiffSlice:
    """The 2-D slice (over leading axes such as n and c) holding the largest error.

    A cell differs when |got − expected| > allowed + relative·|expected|: the tolerance that decided
    the verdict. "Largest" is measured against that bound, so a relative tolerance finds a wrong
    2e−313 among harmless 1e−17 rounding errors.
    """
    absolute = errors(expected, got)
    bound = (allowed or 0.0) + (relative or 0.0) * np.where(np.isfinite(expected), np.abs(expected), 0.0)
    differs = absolute > bound
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        error = np.where(bound > 0, absolute / np.where(bound > 0, bound, 1.0), absolute)
    if expected.ndim <= 2:
        view = (lambda a: np.atleast_2d(a)) if expected.ndim == 1 else (lambda a: a)
        e, g, d, err, label = view(expected), view(got), view(differs), view(error), ""
    else:
        lead = expected.shape[:-2]
        per_slice = error.reshape(*lead, -1).max(axis=-1) if error.size else np.zeros(lead)
        index = tuple(int(i) for i in np.unravel_index(int(np.argmax(per_slice)), lead))
        names = LEADING_AXIS_NAMES.get(expected.ndim, tuple(f"axis {i}" for i in range(len(lead))))
        label = ", ".join(f"{name}={i}" for name, i in zip(names, index))
        e, g, d, err = expected[index], got[index], differs[index], error[index]
    worst = (
        tuple(int(i) for i in np.unravel_index(int(np.argmax(err)), err.shape))
        if err.size and d.any()
        else None
    )
    return DiffSlice(e, g, d, worst, label)  # type: ignore[arg-type]


def _cell(value: float) -> str:
    if np.isnan(value):
        return "nan"
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    text = f"{value:.4g}"
    return "0" if text == "-0" else text


def array_table(
    title: str,
    values: np.ndarray,
    differs: np.ndarray | None,
    worst: tuple[int, int] | None,
    style: str,
    mark: bool,
    origin: tuple[int, int] = (0, 0),
) -> Table:
    """One 2-D array as a table with row and column indices; differing cells highlighted.

    `origin` is where `values` starts in a larger array (a window), so the indices shown are the real ones.
    """
    table = Table(
        title=title,
        title_style="bold",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        pad_edge=False,
        show_edge=False,
        min_width=len(title),
    )
    table.add_column("", style="dim", justify="right")
    for j in range(values.shape[1]):
        table.add_column(str(origin[1] + j), justify="right", header_style="dim")
    for i, row in enumerate(values):
        cells: list[Text] = [Text(str(origin[0] + i))]
        for j, value in enumerate(row):
            wrong = differs is not None and bool(differs[i, j])
            text = _cell(value) + (DIFF_MARK if wrong and mark else " " if mark else "")
            cell_style = style if wrong else ""
            if worst == (i, j):
                cell_style += " underline"
            cells.append(Text(text, style=cell_style.strip()))
        table.add_row(*cells)
    return table


def _width(console: Console, options: ConsoleOptions, renderable: RenderableType) -> int:
    """The width the renderable wants, not clamped to the console (so we can tell it does not fit)."""
    return Measurement.get(console, options.update_width(10_000), renderable).maximum


def _plain(console: Console) -> bool:
    return console.no_color or console.color_system is None


def window(shape: tuple[int, int], centre: tuple[int, int] | None, size: int) -> tuple[slice, slice]:
    """Rows and columns of a size×size window around `centre`, kept inside `shape`."""

    def around(n: int, c: int) -> slice:
        start = min(max(0, c - size // 2), max(0, n - size))
        return slice(start, min(n, start + size))

    centre = centre or (0, 0)
    return around(shape[0], centre[0]), around(shape[1], centre[1])


class ArrayDiff:
    """Expected and got as tables (or pictures), chosen to fit the console when rendered."""

    def __init__(
        self,
        expected: np.ndarray,
        got: np.ndarray,
        allowed: float | None,
        slice_label: str | None = None,
        whole_shape: tuple[int, ...] | None = None,
        relative: float | None = None,
    ) -> None:
        """`slice_label` and `whole_shape`: expected and got are already one 2-D slice of a larger
        output (e.g. 'n=0, c=4' of (1, 6, 28, 28)), the one with the largest error. `relative`: an
        element-wise relative tolerance on top of `allowed` (see worst_slice)."""
        self.expected = expected
        self.got = got
        self.allowed = allowed
        self.whole_shape = tuple(whole_shape) if whole_shape and slice_label else expected.shape
        self.same_shape = expected.shape == got.shape
        if self.same_shape:
            self.slice: DiffSlice | None = worst_slice(expected, got, allowed, relative)
            if slice_label:
                self.slice = replace(self.slice, label=slice_label)
        else:
            self.slice = None

    def _tables(self, mark: bool) -> list[Table]:
        if self.slice is None:
            return [
                array_table(
                    f"expected {self.expected.shape}", np.atleast_2d(self.expected), None, None, "", False
                ),
                array_table(f"yours {self.got.shape}", np.atleast_2d(self.got), None, None, "", False),
            ]
        s = self.slice
        return [
            array_table("expected", s.expected, s.differs, s.worst, "bold green", False),
            array_table("yours", s.got, s.differs, s.worst, "bold white on red", mark),
        ]

    def _window_tables(self, mark: bool) -> tuple[Text, list[Table]]:
        """Too tall for stacked pictures: the WINDOW×WINDOW cells around the worst one, as tables."""
        assert self.slice is not None
        s = self.slice
        rows, cols = window(s.expected.shape, s.worst, WINDOW)
        origin = (rows.start, cols.start)
        worst = (s.worst[0] - rows.start, s.worst[1] - cols.start) if s.worst else None
        h, w = s.expected.shape
        caption = Text(
            WINDOW_CAPTION.format(
                rows=f"{rows.start}–{rows.stop - 1}", cols=f"{cols.start}–{cols.stop - 1}", h=h, w=w
            ),
            style="dim",
        )
        e, g, d = s.expected[rows, cols], s.got[rows, cols], s.differs[rows, cols]
        return caption, [
            array_table("expected", e, d, worst, "bold green", False, origin),
            array_table("yours", g, d, worst, "bold white on red", mark, origin),
        ]

    def _pictures(self) -> list[Picture]:
        assert self.slice is not None
        s = self.slice
        scale = Scale.for_arrays(s.expected, s.got)
        error = np.where(s.differs, 1.0, 0.0)
        return [
            Picture(s.expected, scale, "expected"),
            Picture(s.got, scale, "yours"),
            Picture(error, MASK, "where they differ"),
        ]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.slice is not None and self.slice.label and int(np.prod(self.whole_shape[:-2])) > 1:
            shape = "×".join(str(n) for n in self.whole_shape)
            yield Text(
                f"slice {self.slice.label} of the {shape} output: the one with the largest error", style="dim"
            )
        if self.slice is None and max(self.expected.ndim, self.got.ndim) > 2:
            return  # different shapes of 3-D or 4-D arrays: the sentence says it better than numbers
        wide = console.is_terminal
        tables = self._tables(mark=_plain(console))
        widths = [_width(console, options, t) for t in tables]
        if wide and sum(widths) + 4 <= options.max_width:
            grid = Table.grid(padding=(0, 4))
            grid.add_row(*tables)
            yield grid
        elif max(widths) <= options.max_width:
            yield from tables
        elif self.slice is not None:
            pictures = self._pictures()
            side_by_side = wide and sum(p.width for p in pictures) + 8 <= options.max_width
            stacked_lines = len(pictures) * self.slice.expected.shape[0]
            if side_by_side:
                grid = Table.grid(padding=(0, 4))
                grid.add_row(*pictures)
                yield grid
            elif stacked_lines > MAX_STACKED_LINES:
                # Three tall pictures one under the other bury the answer: show the cells around the worst.
                caption, tables = self._window_tables(mark=_plain(console))
                yield caption
                if wide and sum(_width(console, options, t) for t in tables) + 4 <= options.max_width:
                    grid = Table.grid(padding=(0, 4))
                    grid.add_row(*tables)
                    yield grid
                else:
                    yield from tables
            else:
                yield from pictures
        else:
            return
        if self.slice is not None and self.slice.differs.any():
            yield Text(LEGEND_PLAIN if _plain(console) else LEGEND_COLOUR, style="dim")


def diff_view(example: Counterexample, with_shape_words: bool = True) -> RenderableType | None:
    """The visual part of a counterexample: the shape in words, then expected vs got. None if there is nothing to draw."""
    parts: list[RenderableType] = []
    shapes = (example.expected_shape, example.got_shape)
    if with_shape_words and None not in shapes and tuple(shapes[0]) != tuple(shapes[1]):  # type: ignore[arg-type]
        parts.append(
            Text(
                shape_sentence(
                    tuple(example.expected_shape), tuple(example.got_shape), example.shape_explanation
                ),
                style="bold yellow",
            )
        )
    if example.expected_values is not None and example.got_values is not None:
        expected, got = (
            to_array(example.expected_values, example.expected_shape),
            to_array(example.got_values, example.got_shape),
        )
        drawable = expected.shape == got.shape or max(expected.ndim, got.ndim) <= 2
        if expected.size == 1 and got.size == 1:
            # One number each: a sentence, not an index table.
            parts.append(
                Text(
                    ONE_VALUE.format(expected=_cell(float(expected.item())), got=_cell(float(got.item()))),
                    style="yellow",
                )
            )
        elif expected.ndim and got.ndim and drawable:
            parts.append(
                ArrayDiff(
                    expected,
                    got,
                    example.allowed_error,
                    example.values_slice,
                    example.expected_shape,
                    example.allowed_relative_error,
                )
            )
    return Group(*parts) if parts else None


def png_panels(example: Counterexample) -> list[tuple[str, np.ndarray, Scale | None]]:
    """What `--save-png` draws, left to right, with its label: each 2-D input (its first channel),
    then expected, yours (on one shared colour scale) and the difference (amber where a cell is
    wrong by the verdict's tolerance), for the worst slice."""
    panels: list[tuple[str, np.ndarray, Scale | None]] = []
    for name, values in (example.argument_values or {}).items():
        array = to_array(values)
        while array.ndim > 2:
            array = array[0]
        if array.ndim == 2 and array.size:
            panels.append((f"input {name}", array, None))
    if example.expected_values is not None and example.got_values is not None:
        expected, got = to_array(example.expected_values), to_array(example.got_values)
        if expected.shape == got.shape and expected.ndim and expected.size:
            s = worst_slice(expected, got, example.allowed_error, example.allowed_relative_error)
            shared = Scale.for_arrays(s.expected, s.got)
            panels += [
                ("expected", s.expected, shared),
                ("yours", s.got, shared),
                ("difference", np.where(s.differs, 1.0, 0.0), MASK),
            ]
    return panels


def series_panels(result: CheckResult) -> list[tuple[str, np.ndarray, Scale | None]]:
    """The number series of every property (e.g. a training run's loss), pass or fail, as panels."""
    return [
        (name, curve_raster(values), CURVE_SCALE)
        for prop in result.properties
        for name, values in (prop.series or {}).items()
    ]


def save_counterexample_png(result: CheckResult, path: Path) -> str:
    """Save the failing input, expected, yours and where they differ as one PNG; returns a sentence saying what was saved."""
    from tutor.pictures import save_labelled_png

    failure = result.first_failure()
    example = failure.counterexample if failure else None
    panels = png_panels(example) if example else []
    panels += series_panels(result)
    if not panels:
        why = "it passed" if result.passed else "this failure has no arrays to draw"
        return f"No picture saved to {path}: {why}."
    save_labelled_png(path, panels)
    return f"Saved {path}: {' | '.join(title for title, _, _ in panels)} (left to right)."

"""Output-size misconceptions shared by every sliding-window exercise (conv2d, pooling, depthwise).

Each misconception is one alternative formula for (H_out, W_out); a wrong shape is named when one
formula gives exactly the student's shape on both axes and differs from the right one. The formulas
are tried in order, the most specific first, so a tiny case that two of them explain gets the one
a student is likelier to have written.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

RIGHT = "⌊(n + 2p − f) / s⌋ + 1"

ROUND = (
    "You rounded the output size to the nearest whole number (round(), or ceil): it must be rounded "
    f"down, {RIGHT} (use `//`). Rounding goes up when the fraction is .5 or more, adding a window that "
    "does not fit in the padded input."
)
CEIL = (
    "You rounded the output size up (ceil): it must be rounded down, "
    f"{RIGHT} (use `//`). A window only counts where it fits in the padded input."
)
WIDTH_FROM_KERNEL_HEIGHT = (
    "You computed the output width from the kernel's height: W_out = ⌊(W + 2·pw − kw) / sw⌋ + 1 uses "
    "kw, the kernel's width (w.shape[3]), not kh."
)
HEIGHT_FROM_KERNEL_WIDTH = (
    "You computed the output height from the kernel's width: H_out = ⌊(H + 2·ph − kh) / sh⌋ + 1 uses "
    "kh, the kernel's height (w.shape[2]), not kw."
)
WIDTH_FROM_INPUT_HEIGHT = (
    "You computed the output width from the input's height: W_out uses W = x.shape[3], not H = x.shape[2]."
)
HEIGHT_FROM_INPUT_WIDTH = (
    "You computed the output height from the input's width: H_out uses H = x.shape[2], not W = x.shape[3]."
)
STRIDE_OTHER_AXIS = (
    "You used one stride for both axes: stride=(sh, sw) gives H_out from sh and W_out from sw."
)
PADDING_OTHER_AXIS = (
    "You used one padding for both axes: padding=(ph, pw) gives H_out from ph and W_out from pw."
)
KERNEL_SIDES_SWAPPED = (
    "You read the kernel's sides the wrong way round: the kernel is (..., kh, kw), height before width, "
    "so H_out uses kh and W_out uses kw."
)
NO_PLUS_ONE = f"Your output size is one short: count the first window too, {RIGHT} (the + 1)."
PADDING_ONCE = (
    "You padded only one side of each axis (n + p instead of n + 2p): padding p adds p zeros before "
    f"and p after, so {RIGHT}."
)
PADDING_IGNORED = f"You ignored the padding in the output size: {RIGHT}, with the padded size n + 2p."
STRIDE_IGNORED = f"You ignored the stride in the output size: {RIGHT}; each step moves s pixels."


@dataclass(frozen=True)
class Geometry:
    """The two axes' input size n, kernel f, stride s and padding p, as (height, width) pairs."""

    n: tuple[int, int]
    f: tuple[int, int]
    s: tuple[int, int]
    p: tuple[int, int]


Formula = Callable[[Geometry, int], float]
"""The student's output size along axis 0 (height) or 1 (width), before the final rounding."""


def _size(
    g: Geometry,
    axis: int,
    n: int | None = None,
    f: int | None = None,
    s: int | None = None,
    p: int | None = None,
    twice: int = 2,
    plus: int = 1,
) -> tuple[int, int, int, int, int, int]:
    return (
        g.n[axis] if n is None else n,
        g.f[axis] if f is None else f,
        g.s[axis] if s is None else s,
        g.p[axis] if p is None else p,
        twice,
        plus,
    )


def _floor(n: int, f: int, s: int, p: int, twice: int = 2, plus: int = 1) -> int:
    return (n + twice * p - f) // s + plus


def _cross(axis_wrong: int, field: str) -> Callable[[Geometry, int], int]:
    """The size along `axis_wrong` taken from the other axis's `field` (e.g. the kernel's height)."""

    def size(g: Geometry, axis: int) -> int:
        if axis != axis_wrong:
            return _floor(*_size(g, axis))
        return _floor(*_size(g, axis, **{field: getattr(g, field)[1 - axis]}))

    return size


def _both(field: str, index: int) -> Callable[[Geometry, int], int]:
    def size(g: Geometry, axis: int) -> int:
        return _floor(*_size(g, axis, **{field: getattr(g, field)[index]}))

    return size


def _rounded(how: Callable[[float], int]) -> Callable[[Geometry, int], int]:
    def size(g: Geometry, axis: int) -> int:
        n, f, s, p, _, _ = _size(g, axis)
        return int(how((n + 2 * p - f) / s)) + 1

    return size


FORMULAS: tuple[tuple[str, Callable[[Geometry, int], int]], ...] = (
    (WIDTH_FROM_KERNEL_HEIGHT, _cross(1, "f")),
    (HEIGHT_FROM_KERNEL_WIDTH, _cross(0, "f")),
    (ROUND, _rounded(round)),
    (KERNEL_SIDES_SWAPPED, lambda g, a: _floor(*_size(g, a, f=g.f[1 - a]))),
    (CEIL, _rounded(math.ceil)),
    (WIDTH_FROM_INPUT_HEIGHT, _cross(1, "n")),
    (HEIGHT_FROM_INPUT_WIDTH, _cross(0, "n")),
    (STRIDE_OTHER_AXIS, _both("s", 0)),
    (STRIDE_OTHER_AXIS, _both("s", 1)),
    (PADDING_OTHER_AXIS, _both("p", 0)),
    (PADDING_OTHER_AXIS, _both("p", 1)),
    (NO_PLUS_ONE, lambda g, a: _floor(*_size(g, a, plus=0))),
    (PADDING_ONCE, lambda g, a: _floor(*_size(g, a, twice=1))),
    (PADDING_IGNORED, lambda g, a: _floor(*_size(g, a, p=0))),
    (STRIDE_IGNORED, lambda g, a: _floor(*_size(g, a, s=1))),
)


# Formulas a student applies to each axis on its own line (h_out = …, w_out = …): the bug may sit
# on one line only, so one axis may follow the formula while the other is right.
_PER_AXIS = (ROUND, CEIL, NO_PLUS_ONE, PADDING_ONCE, PADDING_IGNORED, STRIDE_IGNORED)


def _gives(g: Geometry, text: str, formula: Formula, have: tuple, one_axis: bool = False) -> bool:
    """Does the formula give `have` on both axes (or, with one_axis, on one axis, the other right)?"""
    sizes = tuple(formula(g, axis) for axis in (0, 1))
    if not one_axis:
        return sizes == have
    if text not in _PER_AXIS:
        return False
    right = tuple(_floor(*_size(g, axis)) for axis in (0, 1))
    return any(
        have[axis] == sizes[axis] != right[axis] and have[1 - axis] == right[1 - axis] for axis in (0, 1)
    )


def matching(g: Geometry, got: tuple) -> list[str]:
    """Every formula that gives the student's (H_out, W_out) (the last two axes of `got`), in order,
    when that differs from the right size."""
    if len(got) < 2:
        return []
    have = tuple(got[-2:])
    if have == tuple(_floor(*_size(g, axis)) for axis in (0, 1)):
        return []
    found: list[str] = []
    # A formula on one axis only is a guess of last resort: on both axes, the evidence is stronger.
    for one_axis in (False, True):
        for text, formula in FORMULAS:
            try:
                if text not in found and _gives(g, text, formula, have, one_axis):
                    found.append(text)
            except (ZeroDivisionError, ValueError, TypeError):
                continue
        if found:
            break
    return found


def name_output_size(g: Geometry, expected: tuple, got: tuple) -> str | None:
    """The formula that gives the student's (H_out, W_out), if one does (only the last two axes)."""
    if len(expected) != len(got) or len(got) < 2 or tuple(expected[:-2]) != tuple(got[:-2]):
        return None
    have = tuple(got[-2:])
    if have == tuple(expected[-2:]):
        return None
    for one_axis in (False, True):
        for text, formula in FORMULAS:
            try:
                if _gives(g, text, formula, have, one_axis):
                    return text
            except (ZeroDivisionError, ValueError, TypeError):
                continue
    return None


def would_differ(g: Geometry, text: str) -> bool:
    """Does misconception `text` give a different output size from the right one on this geometry?"""
    right = tuple(_floor(*_size(g, axis)) for axis in (0, 1))
    for name, formula in FORMULAS:
        if name == text:
            try:
                if tuple(formula(g, axis) for axis in (0, 1)) != right:
                    return True
            except (ZeroDivisionError, ValueError, TypeError):
                continue
    return False

"""A wrong output that is the right one times a constant: whatever the formula, a scale is off.

This names a whole class of bugs no misconception table lists one by one: a division by the wrong
size (kh instead of kh·kw, N instead of N·H·W), a mean for a sum, a factor of 1/2 or of N too many,
a flipped sign. It is tried only when no misconception explains the output.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

SCALED = (
    "Every value of your {what} is {factor} times the right one here, and a constant multiple of it on "
    "every failing input: the computation is right up to a scale. Look for a division or multiplication by a size "
    "that is wrong or missing (e.g. kh·kw, N, H·W, 1 − p, 2), or a mean where a sum belongs."
)
NEGATED = (
    "Your {what} is the right answer with the opposite sign, on every failing input: a subtraction "
    "is the wrong way round (or a minus sign is missing)."
)


def factor(expected: Any, got: Any) -> float | None:
    """c such that got = c · expected in every element of an array (c ≠ 1)."""
    try:
        want = np.asarray(expected, dtype=np.float64)
        have = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if (
        want.shape != have.shape
        or have.ndim == 0
        or not (np.isfinite(want).all() and np.isfinite(have).all())
    ):
        return None
    scale = float(np.abs(want).max())
    nonzero = np.abs(want) > 1e-9 * max(scale, 1e-300)
    if not nonzero.any():
        return None
    c = float(np.median(have[nonzero] / want[nonzero]))
    if c == 0 or abs(c - 1) < 1e-6:
        return None
    if not np.allclose(have, c * want, rtol=1e-6, atol=1e-9 * max(1.0, scale * abs(c))):
        return None
    return c


def _evidence(expected: Any) -> int:
    """How many non-zero reference values beyond the first of each array a pair offers: a factor
    is only tested where one array has two or more."""
    items = expected if isinstance(expected, tuple) else (expected,)
    try:
        return sum(max(0, int(np.count_nonzero(np.asarray(item, dtype=np.float64))) - 1) for item in items)
    except (TypeError, ValueError):
        return 0


def _shown(c: float) -> str:
    simple = Fraction(c).limit_denominator(64)
    if abs(float(simple) - c) <= 1e-6 * abs(c):
        return (
            str(simple.numerator) if simple.denominator == 1 else f"{simple.numerator}/{simple.denominator}"
        )
    return f"{c:.4g}"


def _factors(expected: Any, got: Any, names: tuple[str, ...]) -> dict[str, float] | None:
    """The factor of each wrong item (one item for a plain array); None if one is not a factor."""
    if isinstance(expected, tuple) and names and isinstance(got, tuple | list) and len(got) == len(expected):
        found = {}
        for name, want, have in zip(names, expected, got):
            try:
                same = np.allclose(np.asarray(have, dtype=np.float64), np.asarray(want, dtype=np.float64))
            except (TypeError, ValueError):
                return None
            if not same:
                c = factor(want, have)
                if c is None:
                    return None
                found[name] = c
        return found or None
    c = factor(expected, got)
    return None if c is None else {"": c}


def explain(pairs: list[tuple[Any, Any]], names: tuple[str, ...] = ()) -> str | None:
    """One sentence if, in every (expected, got) pair (the shrunk failure first), the same items are
    each a constant multiple of the right ones (the constant may change with the input: a division
    by kh instead of kh·kw is off by kw); None otherwise."""
    if not pairs:
        return None
    first = _factors(*pairs[0], names)
    if first is None:
        return None
    for expected, got in pairs[1:]:
        other = _factors(expected, got, names)
        if other is None or other.keys() != first.keys():
            return None
    if sum(_evidence(expected) for expected, _ in pairs) < 2:
        return None  # a lone number is a multiple of anything: it takes two in one array to say so
    what = "output" if list(first) == [""] else " and ".join(first)
    if all(np.isclose(c, -1.0) for c in first.values()):
        return NEGATED.format(what=what)
    return SCALED.format(what=what, factor=_shown(next(iter(first.values()))))

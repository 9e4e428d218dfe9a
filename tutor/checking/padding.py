"""A padding applied with the wrong amounts on some sides: the right output size, shifted values.

np.pad takes ((before, after), ...) per axis, so `np.pad(x, (..., (ph, pw), (ph, pw)))` pads the
top with ph and the bottom with pw, and padding the width with ph is a one-letter slip. The output
size formula is still right, so the shape is right, but the windows see shifted inputs. This rule
re-runs the reference on the input padded by hand with other amounts per side (taken from the
padding's own values), with padding 0, crops the result to the expected size, and names the sides
that differ when that reproduces every failing output. It applies to any exercise whose reference
gives the same answer on an input padded by hand (zeros, or −inf for a max) with padding 0.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

PADDED_SIDES = (
    "Your {what} is what the right function gives when the input gets {sides}, on every failing "
    "input: the output size is right but the windows see shifted values. Pad each axis with its own amount "
    "on both sides: np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw))), (before, after) per axis."
)

_SIDES = ("top", "bottom", "left", "right")
# The input a padding applies to is named like this, and the padding argument like that.
_PADDING = "padding"
_FILLS = (0.0, -np.inf)


def _pair(value: Any) -> tuple[int, int] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | np.integer):
        return int(value), int(value)
    if (
        isinstance(value, tuple | list)
        and len(value) == 2
        and all(isinstance(v, int | np.integer) for v in value)
    ):
        return int(value[0]), int(value[1])
    return None


def _images(case: Any) -> list[str]:
    return [
        name
        for name, value in case.named().items()
        if isinstance(value, np.ndarray) and value.ndim == 4 and value.dtype.kind == "f"
    ]


def _padded(case: Any, image: str, sides: tuple[int, ...], fill: float) -> Any:
    top, bottom, left, right = sides
    x = np.pad(case[image], ((0, 0), (0, 0), (top, bottom), (left, right)), constant_values=fill)
    return case.replace(image, x).replace(
        _PADDING, (0, 0) if isinstance(case.get(_PADDING), tuple | list) else 0
    )


def _predicted(
    expect: Callable[[Any], Any],
    case: Any,
    image: str,
    sides: tuple[int, ...],
    fill: float,
    shape: tuple[int, ...],
) -> np.ndarray | None:
    """The reference on the input padded by hand, in the expected shape: cropped where the padding
    gives more rows or columns; where it gives fewer, the windows past the edge read `fill` (the
    padded input is filled up below and on the right to the right padded size), as a loop over the
    formula's output size with windows clipped at the edge does."""
    top, bottom, left, right = sides
    ph, pw = _pair(case.get(_PADDING)) or (0, 0)
    filled = (top, max(bottom, 2 * ph - top), left, max(right, 2 * pw - left))
    array = np.asarray(expect(_padded(case, image, filled, fill)))
    if array.ndim != len(shape) or any(a < s for a, s in zip(array.shape, shape)):
        return None
    return array[tuple(slice(0, s) for s in shape)]


# Per side, the amount a student may have used: the height's padding, the width's, or none.
_AMOUNTS = ("ph", "pw", "0")
_RIGHT = ("ph", "ph", "pw", "pw")
# The paddings a student writes by mistake (top, bottom, left, right): one axis's amount for both,
# the two swapped, (before, after) read as (height, width), one side or one axis left unpadded.
_SLIPS: tuple[tuple[str, ...], ...] = (
    ("ph", "ph", "ph", "ph"),
    ("pw", "pw", "pw", "pw"),
    ("pw", "pw", "ph", "ph"),
    ("ph", "pw", "ph", "pw"),
    ("pw", "ph", "pw", "ph"),
    ("0", "ph", "pw", "pw"),
    ("ph", "0", "pw", "pw"),
    ("ph", "ph", "0", "pw"),
    ("ph", "ph", "pw", "0"),
    ("0", "0", "pw", "pw"),
    ("ph", "ph", "0", "0"),
)


def _amount(kind: str, ph: int, pw: int) -> int:
    return {"ph": ph, "pw": pw, "0": 0}[kind]


def _describe(sides: dict[str, set[str]]) -> str:
    """'ph columns on the left (instead of pw, the width's padding)' and the like."""
    parts = []
    for axis, unit, pair, right in (
        ("height", "rows", ("top", "bottom"), "ph"),
        ("width", "columns", ("left", "right"), "pw"),
    ):
        for side in pair:
            if side not in sides:
                continue
            kinds = sides[side]
            amount = "no padding" if "0" in kinds else f"{next(iter(kinds))} {unit} of padding"
            if "0" in kinds and len(kinds) > 1:
                amount += f" ({' = '.join(sorted(kinds - {'0'}))} = 0 there)"
            where = {
                "top": "at the top",
                "bottom": "at the bottom",
                "left": "on the left",
                "right": "on the right",
            }[side]
            parts.append(f"{amount} {where} (instead of {right}, the {axis}'s padding)")
    return "; ".join(parts)


def padded_sides(
    examples: Sequence[Any],
    expect: Callable[[Any], Any],
    equivalent: Callable[[Any, Any], bool],
    what: str,
    budget_seconds: float = 3.0,
) -> str | None:
    """got is the reference on the input padded by hand with ph/pw on other sides than the right ones,
    cropped to the right size, on every example; the changed sides common to every fitting padding
    are named."""
    if not examples or _PADDING not in examples[0].case.named():
        return None
    started = time.perf_counter()
    settings = []  # per example: (image name, fill, ph, pw)
    for example in examples:
        pair = _pair(example.case.get(_PADDING))
        expected = np.asarray(example.expected) if isinstance(example.expected, np.ndarray) else None
        if pair is None or expected is None or expected.ndim != 4:
            return None
        found = None
        for image, fill in itertools.product(_images(example.case), _FILLS):
            try:
                same = _predicted(
                    expect, example.case, image, (pair[0], pair[0], pair[1], pair[1]), fill, expected.shape
                )
            except Exception:  # the reference does not take this input padded by hand
                continue
            if same is not None and same.shape == expected.shape and equivalent(expected, same):
                found = (image, fill)
                break
        if found is None:
            return None
        settings.append((*found, *pair))
    if not any(ph != pw for _, _, ph, pw in settings):
        return None  # with equal paddings, no side can be told from another
    cache: dict[tuple[int, tuple[int, ...]], bool] = {}

    def fits(choice: tuple[str, ...]) -> bool | None:
        """Does this padding reproduce every example (None: out of time)?"""
        differs = False
        for index, (example, (image, fill, ph, pw)) in enumerate(zip(examples, settings)):
            if time.perf_counter() - started > budget_seconds:
                return None
            sides = tuple(_amount(k, ph, pw) for k in choice)
            key = (index, sides)
            if key not in cache:
                try:
                    predicted = _predicted(
                        expect, example.case, image, sides, fill, np.shape(example.expected)
                    )
                    cache[key] = predicted is not None and equivalent(predicted, example.got)
                except Exception:  # undefined for this padding: it does not fit
                    cache[key] = False
            if not cache[key]:
                return False
            differs = differs or sides != (ph, ph, pw, pw)
        return differs

    fitting: list[tuple[str, ...]] = []
    for slip in _SLIPS:
        fit = fits(slip)
        if fit is None:
            return None
        if fit:
            fitting.append(slip)
    # Each side of a fitting padding with another amount: if that fits too, the side is not told.
    for slip in list(fitting):
        for i, kind in itertools.product(range(4), _AMOUNTS):
            other = slip[:i] + (kind,) + slip[i + 1 :]
            if other not in fitting:
                fit = fits(other)
                if fit is None:
                    return None
                if fit:
                    fitting.append(other)
    amounts = {c: [tuple(_amount(k, ph, pw) for k in c) for _, _, ph, pw in settings] for c in fitting}
    # A side is named when every fitting padding gives it the same amounts, and those are wrong.
    named: dict[str, set[str]] = {}
    for i, side in enumerate(_SIDES):
        values = {tuple(a[i] for a in amounts[c]) for c in fitting}
        right = tuple(_amount(_RIGHT[i], ph, pw) for _, _, ph, pw in settings)
        if len(values) == 1 and values != {right}:
            named[side] = {choice[i] for choice in fitting}
    if not named:
        return None
    return PADDED_SIDES.format(what=what, sides=_describe(named))

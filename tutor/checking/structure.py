"""Structural diagnosis: what kind of error a wrong output shows, and where, for any exercise.

Misconceptions name bugs one by one; real bugs are long-tailed. These rules compare the student's
output with the expected one (and with the inputs) and name the *shape* of the error: a tuple in
the wrong order, a simple function of the right answer, the answer for an input left out or
transposed, an additive offset, a factor that changes along one axis, the right values moved,
flipped or reshaped, or an error confined to the border or to some channels.

Each rule is a small pure function that returns one sentence or None, and it claims a relation
only when it holds on every failing example it is given (within tolerance) and at least one of
them has enough evidence to tell it apart from chance. They are tried after the misconceptions
and the constant-factor rule (scale.py), in order, and the first sentence wins.
"""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tutor.checking import padding, scalars
from tutor.checking.compare import ArrayComparison

# -- sentences -----------------------------------------------------------------------------------
TUPLE_SWAPPED = (
    "Your {a} and {b} are in each other's places, on every failing input: the values are right but the "
    "tuple is returned in the wrong order; return ({order})."
)
TUPLE_SLOT = (
    "Your {got_name} is the right {want_name}, on every failing input: a right value is returned in the "
    "wrong place of the tuple ({order})."
)
ELEMENTWISE = "Every value of your {what} is {relation}, on every failing input: {advice}"
INPUT_CHANGED = (
    "Your {what} is exactly what the right function gives when {change}, on every failing input: {advice}"
)
OFFSET_CONSTANT = (
    "Every value of your {what} is the right one {sign} {amount}, on every failing input: the computation is "
    "right up to an added constant. Look for a term added (or subtracted) once too often or not at all."
)
OFFSET_VECTOR = "Your {what} is the right one {relation} {name}{along}, on every failing input: {advice}"
OFFSET_REPEATED = (
    "Your {what} is the right one plus {name} (along {axis}) added a different number of times at different "
    "positions, on every failing input: {name} is added inside a loop, once per iteration; add it once, after "
    "the loop."
)
AXIS_FACTOR = (
    "Your {what} is the right one multiplied by a factor that changes along {axis} and only along it "
    "(here {factors}), on every failing input: a scale or normalisation is computed per {unit} where it "
    "should not be, or along the wrong axis."
)
AXIS_FACTOR_INPUT = (
    "Your {what} is the right one multiplied by {name} along {axis}, on every failing input: {name} is "
    "applied once too often, or on the wrong axis."
)
FLIPPED = (
    "Your {what} holds the right values in reverse order along {axis}, on every failing input: an index "
    "runs backwards (e.g. -1 - i for i, or a [::-1] too many)."
)
TRANSPOSED_SAME = (
    "Your {what} is the right one with rows and columns swapped (its last two axes transposed), on every "
    "failing input: an index [i, j] is used where [j, i] belongs."
)
SHIFTED = (
    "Your {what} holds the right values moved by one position along {axis} ({direction}), on every failing "
    "input: an index is off by one (i + 1 for i, or a range that starts at 1 or stops one early)."
)
REARRANGED = "Your {what} holds exactly the right values, but {how}: {advice}"
REDUCTION_MISSING = (
    "Your {what} has the right values before a {op} over {axis}: the expected result is your output "
    "{op_past} over that axis (shape {got_shape} → {want_shape}). Add the missing reduction."
)
REDUCTION_EXTRA = (
    "Your {what} is the right result {op_past} over {axis} (shape {want_shape} → {got_shape}), on every "
    "failing input: that axis must be kept, not reduced."
)
REGION = "Your {what} is right everywhere except {where}, on every failing input: {advice}"
WHERE_INPUT = (
    "Your {what} is wrong only where {condition} and right everywhere else, on every failing input: "
    "look at how your code treats those elements (a comparison, a mask or a sign)."
)

_ADVICE_BORDER = (
    "look at the bounds of your loops (one iteration too few or too many, a range that stops early) and at "
    "the padding, which only matters near the edges."
)
_ADVICE_INDEX = (
    "an index or a loop fixed at one value, or an axis mixed up with another, reaches only some of them."
)


# A structural claim needs one failing example whose output has at least this many values.
MIN_VALUES = 3
_ARRAYS = ArrayComparison()


def _size(value: Any) -> int:
    if isinstance(value, tuple):
        return sum(_size(v) for v in value)
    try:
        return int(np.size(value))
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class Example:
    """One failing call: the case, the reference's value and the student's."""

    case: Any
    expected: Any
    got: Any


# -- helpers ---------------------------------------------------------------------------------------
def _array(value: Any) -> np.ndarray | None:
    if isinstance(value, bool | np.bool_):
        return None
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array if array.ndim and array.size and np.isfinite(array).all() else None


def _tolerance(expected: np.ndarray) -> float:
    """The tolerance the verdict itself uses for an array (ArrayComparison's default)."""
    return _ARRAYS.allowed(expected)


def _close(a: np.ndarray, b: np.ndarray, tolerance: float) -> bool:
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= tolerance))


def _axis_name(axis: int, ndim: int) -> str:
    if ndim >= 2 and axis == ndim - 1:
        return "the columns (last axis)"
    if ndim >= 2 and axis == ndim - 2:
        return f"the rows (axis {axis})"
    return f"axis {axis}"


def _unit(axis: int, ndim: int) -> str:
    if ndim >= 2 and axis == ndim - 1:
        return "column"
    if ndim >= 2 and axis == ndim - 2:
        return "row"
    return f"index of axis {axis}"


def _number(value: float) -> str:
    return f"{value:.4g}"


def _pairs(examples: Sequence[Example]) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """The (expected, got) arrays of same-shape examples; None if any example is not one."""
    found = []
    for example in examples:
        want, have = _array(example.expected), _array(example.got)
        if want is None or have is None or want.shape != have.shape:
            return None
        found.append((want, have))
    return found


def _same_rank_pairs(examples: Sequence[Example]) -> tuple[list[tuple[np.ndarray, np.ndarray]], int] | None:
    """_pairs, and their number of axes, when every example has that many; else None."""
    pairs = _pairs(examples)
    if not pairs:
        return None
    ndim = pairs[0][0].ndim
    if any(want.ndim != ndim for want, _ in pairs):
        return None
    return pairs, ndim


def _inputs(case: Any) -> dict[str, Any]:
    named = getattr(case, "named", None)
    return named() if callable(named) else {}


# -- tuples ------------------------------------------------------------------------------------------
def tuple_order(examples: Sequence[Example], names: tuple[str, ...]) -> str | None:
    """A returned tuple whose wrong items are each another item's right value."""
    if len(names) < 2:
        return None
    mapping: dict[int, int] | None = None
    for example in examples:
        if not (isinstance(example.expected, tuple) and isinstance(example.got, tuple | list)):
            return None
        if len(example.got) != len(names) or len(example.expected) != len(names):
            return None
        wants = [_array(v) for v in example.expected]
        haves = [_array(v) for v in example.got]
        found: dict[int, int] = {}
        for i, have in enumerate(haves):
            want = wants[i]
            if have is not None and want is not None and _close(have, want, _tolerance(want)):
                continue
            matches = [
                j
                for j, other in enumerate(wants)
                if j != i
                and other is not None
                and have is not None
                and _close(have, other, _tolerance(other))
                and not (want is not None and _close(other, want, _tolerance(want)))
            ]
            if len(matches) != 1:
                return None
            found[i] = matches[0]
        if not found or (mapping is not None and found != mapping):
            return None
        mapping = found
    if not mapping:
        return None
    order = ", ".join(names)
    i, j = next(iter(mapping.items()))
    if mapping.get(j) == i:
        return TUPLE_SWAPPED.format(a=names[i], b=names[j], order=order)
    return TUPLE_SLOT.format(got_name=names[i], want_name=names[j], order=order)


# -- got = f(expected) ------------------------------------------------------------------------------
_FUNCTIONS: tuple[tuple[str, str, Callable[[np.ndarray], np.ndarray], str], ...] = (
    (
        "0, whatever the right one",
        "zero",
        np.zeros_like,
        "the result is never filled in (an array made with np.zeros and left so, or the wrong variable "
        "returned), or it is a difference of two things that are one object: b = a without .copy() makes "
        "every change to b a change to a, so f(b) − f(a) is 0.",
    ),
    (
        "the square of the right one",
        "square",
        np.square,
        "a value is squared that should not be (or a square root is missing).",
    ),
    (
        "the square root of the right one",
        "sqrt",
        lambda e: np.sqrt(np.where(e >= 0, e, np.nan)),
        "a square root is taken that should not be (or a square is missing).",
    ),
    (
        "the absolute value of the right one",
        "abs",
        np.abs,
        "the sign is lost somewhere (an abs, a square then a square root, or a max with 0 on both sides).",
    ),
    (
        "the right one where that is positive and 0 where it is negative",
        "relu",
        lambda e: np.maximum(e, 0.0),
        "a ReLU (or a clip at 0) is applied that does not belong, or too early.",
    ),
    (
        "the right one where that is negative and 0 where it is positive",
        "negative part",
        lambda e: np.minimum(e, 0.0),
        "a comparison or a mask is the wrong way round (x < 0 for x > 0?).",
    ),
    (
        "the right one where that is positive and its opposite where it is negative",
        "abs-like",
        lambda e: np.where(e < 0, -e, e),
        "a sign is flipped only for the negative values.",
    ),
    (
        "exp of the right one",
        "exp",
        lambda e: np.exp(np.minimum(e, 700.0)),
        "an exp too many (or a log missing).",
    ),
    (
        "the log of the right one",
        "log",
        lambda e: np.log(np.where(e > 0, e, np.nan)),
        "a log too many (or an exp missing).",
    ),
    (
        "1 minus the right one",
        "one minus",
        lambda e: 1.0 - e,
        "a complement is taken the wrong way round (1 − p for p, a mask inverted).",
    ),
    (
        "1 divided by the right one",
        "reciprocal",
        lambda e: 1.0 / np.where(e != 0, e, np.nan),
        "a division is the wrong way round (a / b for b / a).",
    ),
)


def elementwise(examples: Sequence[Example], what: str) -> str | None:
    """got = f(expected) for one simple f, on every example, with f(expected) ≠ expected on two or
    more values in all."""
    pairs = _pairs(examples)
    if not pairs:
        return None
    for relation, _, f, advice in _FUNCTIONS:
        telling = 0
        with np.errstate(all="ignore"):
            for want, have in pairs:
                predicted = f(want)
                if not np.isfinite(predicted).all():
                    break
                tolerance = _tolerance(np.maximum(np.abs(want), np.abs(predicted)))
                if not _close(have, predicted, tolerance):
                    break
                telling += int(np.count_nonzero(np.abs(predicted - want) > tolerance))
            else:
                if telling >= 2:
                    return ELEMENTWISE.format(what=what, relation=relation, advice=advice)
    return None


# -- the answer for changed inputs ------------------------------------------------------------------
def _changes(case: Any) -> list[tuple[str, str, str, Any]]:
    """(name, change as words, advice, new value) for every simple change of one input."""
    found = []
    for name, value in _inputs(case).items():
        if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.size:
            found.append(
                (
                    name,
                    f"{name} is all zeros",
                    f"{name} never reaches your result (is it used at all, or overwritten?).",
                    np.zeros_like(value),
                )
            )
            found.append(
                (
                    name,
                    f"{name} is all ones",
                    f"{name} is not applied (a multiplication by {name} is missing).",
                    np.ones_like(value),
                )
            )
            found.append(
                (
                    name,
                    f"{name} has the opposite sign",
                    f"your code uses −{name} where {name} belongs (a sign flipped on {name}).",
                    -value,
                )
            )
            if value.ndim >= 2 and value.shape[-1] == value.shape[-2] and value.shape[-1] > 1:
                found.append(
                    (
                        name,
                        f"{name}'s last two axes are swapped",
                        f"your code reads {name}[..., b, a] where {name}[..., a, b] belongs (rows and columns mixed up).",
                        np.swapaxes(value, -1, -2),
                    )
                )
            if value.ndim >= 2:
                found.append(
                    (
                        name,
                        f"{name} is turned by 180° (flipped along its last two axes)",
                        f"your code indexes {name} backwards (the kernel flip of a mathematical convolution?).",
                        value[..., ::-1, ::-1],
                    )
                )
        pair = _int_pair(value)
        if pair is not None:
            found.extend(_pair_changes(name, pair))
    return found


def _int_pair(value: Any) -> tuple[int, int] | None:
    """An argument given as two integers (a padding, stride or kernel size per axis), else None."""
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        return None
    if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value):
        return None
    return int(value[0]), int(value[1])


def _pair_changes(name: str, pair: tuple[int, int]) -> list[tuple[str, str, str, Any]]:
    """The mix-ups of a per-axis pair: one value used for both axes, or the two swapped. Where the
    two values are equal a change is no change, so the same words cover every example."""
    first, second = pair
    return [
        (
            name,
            f"{name}'s first value is used for both axes",
            f"your code uses {name}[0] (the height's) where {name}[1] (the width's) belongs, e.g. ph for pw.",
            (first, first),
        ),
        (
            name,
            f"{name}'s second value is used for both axes",
            f"your code uses {name}[1] (the width's) where {name}[0] (the height's) belongs, e.g. pw for ph.",
            (second, second),
        ),
        (
            name,
            f"{name}'s two values are swapped",
            f"your code reads {name} as (width, height); it is (height, width), as in torch.",
            (second, first),
        ),
    ]


def input_changed(
    examples: Sequence[Example],
    expect: Callable[[Any], Any],
    equivalent: Callable[[Any, Any], bool],
    what: str,
    budget_seconds: float = 1.0,
) -> str | None:
    """got is the reference's value for the same call with one input changed in a simple way
    (zeroed, all ones, transposed, turned), on every example, and that differs from the truth on
    at least one."""
    if not examples:
        return None
    started = time.perf_counter()
    fits: list[str] = []
    for name, change, advice, _ in _changes(examples[0].case):
        differs = False
        for example in examples:
            if time.perf_counter() - started > budget_seconds:
                return None
            new = next((v for n, c, _, v in _changes(example.case) if n == name and c == change), None)
            if new is None:
                break
            try:
                predicted = expect(example.case.replace(name, new))
                if not equivalent(predicted, example.got):
                    break
                differs = differs or not equivalent(example.expected, predicted)
            except Exception:  # the reference is undefined for that change: no claim
                break
        else:
            if differs:
                fits.append(INPUT_CHANGED.format(what=what, change=change, advice=advice))
    # Two changes that both fit (on tiny inputs they can agree by chance): no claim.
    return fits[0] if len(fits) == 1 else None


# -- additive offsets -----------------------------------------------------------------------------
def _vectors(case: Any, length: int) -> list[tuple[str, np.ndarray]]:
    """The 1-D float inputs of this length, not all zero."""
    return [
        (name, value.astype(np.float64))
        for name, value in _inputs(case).items()
        if isinstance(value, np.ndarray)
        and value.ndim == 1
        and (length < 0 or value.shape[0] == length)
        and value.dtype.kind == "f"
        and np.abs(value).max() > 0
    ]


def _scalars(case: Any) -> list[tuple[str, float]]:
    return [
        (name, float(value))
        for name, value in _inputs(case).items()
        if isinstance(value, float | np.floating) and value != 0 and np.isfinite(value)
    ]


def _along(difference: np.ndarray, axis: int, tolerance: float) -> np.ndarray | None:
    """The values along `axis` if the array is constant along every other axis."""
    moved = np.moveaxis(difference, axis, 0).reshape(difference.shape[axis], -1)
    line = moved[:, 0]
    return line if np.all(np.abs(moved - line[:, None]) <= tolerance) else None


def offset(examples: Sequence[Example], what: str) -> str | None:
    """got − expected: the same constant everywhere, or a 1-D input (b, beta) along one axis, once,
    minus once or a different whole number of times per position."""
    pairs = _pairs(examples)
    if not pairs:
        return None
    differences = [(have - want, _tolerance(want)) for want, have in pairs]
    # A constant: the same within each example; named when it is a scalar input on all of them.
    constants: list[float] = []
    for d, tolerance in differences:
        c = float(np.median(d))
        if abs(c) <= tolerance or not np.all(np.abs(d - c) <= tolerance):
            constants = []
            break
        constants.append(c)
    if constants and sum(d.size for d, _ in differences) >= 2:
        for name, _ in _scalars(examples[0].case):
            for sign, relation, advice in (
                (1, "plus", f"{name} is added once too often (or left out where it is subtracted)."),
                (-1, "minus", f"{name} is missing (or subtracted where it is added)."),
            ):
                if all(
                    any(n == name and abs(c - sign * v) <= 1e-9 + 1e-6 * abs(v) for n, v in _scalars(e.case))
                    for e, c in zip(examples, constants)
                ):
                    return OFFSET_VECTOR.format(
                        what=what, relation=relation, name=name, along="", advice=advice
                    )
        c = constants[0]
        if not all(abs(other - c) <= 1e-9 + 1e-6 * abs(c) for other in constants):
            return None  # a different constant on each input, and none of the inputs: no claim
        return OFFSET_CONSTANT.format(what=what, sign="plus" if c > 0 else "minus", amount=_number(abs(c)))
    # A 1-D input along one axis.
    ndim = pairs[0][0].ndim
    for axis in range(ndim):
        for name, _ in _vectors(examples[0].case, pairs[0][0].shape[axis]):
            multiples: list[np.ndarray] = []
            for example, (d, tolerance) in zip(examples, differences):
                found = [v for n, v in _vectors(example.case, d.shape[axis]) if n == name]
                if d.ndim != ndim or not found:
                    break
                v = found[0]
                shape = [1] * ndim
                shape[axis] = v.size
                big = int(np.argmax(np.abs(v)))
                # m such that d = m · v along the axis, the same m all along it at each position
                # (taken where |v| is largest; a zero of v then needs a zero of d).
                counts = np.take(d, big, axis=axis) / v[big]
                predicted = np.expand_dims(counts, axis) * v.reshape(shape)
                if not np.all(np.abs(d - predicted) <= tolerance):
                    break
                if not np.all(np.abs(counts - np.round(counts)) <= 1e-6 * np.maximum(1, np.abs(counts))):
                    break
                multiples.append(np.round(counts))
            else:
                support = sum(
                    int(np.count_nonzero(v)) for e in examples for n, v in _vectors(e.case, -1) if n == name
                )
                if not multiples or support < 2:
                    continue
                values = np.unique(np.concatenate([m.ravel() for m in multiples]))
                if values.size == 1 and values[0] == 0:
                    continue
                place = _axis_name(axis, ndim)
                if values.size == 1:
                    times = int(values[0])
                    along = f", along {place}" if ndim > 1 else ""
                    relation = {1: "plus", -1: "minus", 2: "plus twice", -2: "minus twice"}.get(
                        times, f"{'plus' if times > 0 else 'minus'} {abs(times)} times"
                    )
                    advice = {
                        1: f"{name} is added once too often (or left out where it is subtracted).",
                        -1: f"{name} is missing (or subtracted where it is added).",
                        2: f"the term in {name} has the wrong sign (− where + belongs).",
                        -2: f"the term in {name} has the wrong sign (+ where − belongs).",
                    }.get(times, f"{name} is counted the wrong number of times.")
                    return OFFSET_VECTOR.format(
                        what=what, relation=relation, name=name, along=along, advice=advice
                    )
                if np.all(values >= 0) and any(m.size > 1 for m in multiples):
                    return OFFSET_REPEATED.format(what=what, name=name, axis=place)
    return None


# -- a factor along one axis ----------------------------------------------------------------------
def axis_factor(examples: Sequence[Example], what: str) -> str | None:
    """got = expected · c, where c changes along exactly one axis (a constant c is scale.py's)."""
    found = _same_rank_pairs(examples)
    if found is None or found[1] < 2:
        return None  # in one dimension, any ratio "changes along the only axis": no claim
    pairs, ndim = found
    for axis in range(ndim):
        if not any(want.size > want.shape[axis] for want, _ in pairs):
            continue  # nothing to be constant along
        lines: list[np.ndarray] = []
        varies = False
        for want, have in pairs:
            tolerance = _tolerance(want)
            moved_want = np.moveaxis(want, axis, 0).reshape(want.shape[axis], -1)
            moved_have = np.moveaxis(have, axis, 0).reshape(have.shape[axis], -1)
            line = []
            for w_row, h_row in zip(moved_want, moved_have):
                usable = np.abs(w_row) > 100 * tolerance
                if not usable.any():
                    if np.any(np.abs(h_row - w_row) > tolerance):
                        break
                    line.append(np.nan)
                    continue
                c = float(np.median(h_row[usable] / w_row[usable]))
                if abs(c) <= 1e-6 or not np.all(np.abs(h_row - c * w_row) <= tolerance * max(1.0, abs(c))):
                    break
                line.append(c)
            else:
                known = np.array([c for c in line if np.isfinite(c)])
                if known.size >= 2 and np.ptp(known) > 1e-6 * max(1.0, float(np.abs(known).max())):
                    varies = True
                lines.append(np.array(line))
                continue
            break
        else:
            if varies:
                longest = max(lines, key=lambda line: (_spread(line), len(line)))
                for name, _ in _vectors(examples[0].case, pairs[0][0].shape[axis]):
                    if all(
                        any(
                            n == name
                            and np.allclose(
                                line[np.isfinite(line)], v[np.isfinite(line)], rtol=1e-5, atol=1e-9
                            )
                            for n, v in _vectors(e.case, len(line))
                        )
                        for e, line in zip(examples, lines)
                    ):
                        return AXIS_FACTOR_INPUT.format(what=what, name=name, axis=_axis_name(axis, ndim))
                shown = ", ".join("?" if not np.isfinite(c) else _number(c) for c in longest[:6])
                if len(longest) > 6:
                    shown += ", …"
                return AXIS_FACTOR.format(
                    what=what, axis=_axis_name(axis, ndim), factors=shown, unit=_unit(axis, ndim)
                )
    return None


def _spread(line: np.ndarray) -> float:
    known = line[np.isfinite(line)]
    return float(np.ptp(known)) if known.size else 0.0


# -- the right values, moved --------------------------------------------------------------------------
def moved(examples: Sequence[Example], what: str) -> str | None:
    """got is expected flipped along one axis, transposed (last two axes), or shifted by one."""
    found = _same_rank_pairs(examples)
    if found is None:
        return None
    pairs, ndim = found
    for axis in range(ndim):
        if _holds(pairs, functools.partial(np.flip, axis=axis)):
            return FLIPPED.format(what=what, axis=_axis_name(axis, ndim))
    square = ndim >= 2 and all(w.shape[-1] == w.shape[-2] for w, _ in pairs)
    if square and _holds(pairs, lambda e: np.swapaxes(e, -1, -2)):
        return TRANSPOSED_SAME.format(what=what)
    for axis in range(ndim):
        for step, direction in ((1, "towards higher indices"), (-1, "towards lower indices")):
            if _shifted(pairs, axis, step):
                return SHIFTED.format(what=what, axis=_axis_name(axis, ndim), direction=direction)
    return None


def _holds(pairs: list[tuple[np.ndarray, np.ndarray]], f: Callable[[np.ndarray], np.ndarray]) -> bool:
    """have = f(want) on every pair and f(want) ≠ want on at least one."""
    telling = False
    for want, have in pairs:
        predicted = f(want)
        tolerance = _tolerance(want)
        if predicted.shape != have.shape or not _close(have, predicted, tolerance):
            return False
        telling = telling or not _close(predicted, want, tolerance)
    return telling


def _shifted(pairs: list[tuple[np.ndarray, np.ndarray]], axis: int, step: int) -> bool:
    """have[i + step] = want[i] wherever both exist, on every pair, and want is not itself
    shift-invariant there; at least two telling positions in all."""
    telling = 0
    for want, have in pairs:
        n = want.shape[axis]
        if n < 2:
            return False
        tolerance = _tolerance(want)
        source = np.take(want, range(0, n - 1) if step == 1 else range(1, n), axis=axis)
        target = np.take(have, range(1, n) if step == 1 else range(0, n - 1), axis=axis)
        same = np.take(want, range(1, n) if step == 1 else range(0, n - 1), axis=axis)
        if not _close(target, source, tolerance):
            return False
        telling += int(np.count_nonzero(np.abs(source - same) > tolerance))
    return telling >= 2


def reshaped(examples: Sequence[Example], what: str) -> str | None:
    """A wrong shape holding the right values: axes permuted, reshaped, or a reduction missing or extra."""
    pairs = []
    for example in examples:
        want, have = _array(example.expected), _array(example.got)
        if want is None or have is None or want.shape == have.shape:
            return None
        pairs.append((want, have))
    if not pairs:
        return None
    for sentence in (_permuted(pairs, what), _reduction(pairs, what)):
        if sentence is not None:
            return sentence
    return None


def _permuted(pairs: list[tuple[np.ndarray, np.ndarray]], what: str) -> str | None:
    ndim = pairs[0][0].ndim
    if ndim <= 4 and all(w.ndim == ndim and h.ndim == ndim for w, h in pairs):
        for order in itertools.permutations(range(ndim)):
            if order == tuple(range(ndim)):
                continue
            if all(
                h.shape == w.transpose(order).shape and _close(h, w.transpose(order), _tolerance(w))
                for w, h in pairs
            ):
                how = f"with its axes in the order {order} of the expected ones"
                advice = f"transpose back, np.transpose(result, {tuple(int(i) for i in np.argsort(order))})."
                return REARRANGED.format(what=what, how=how, advice=advice)
    if all(w.size == h.size and _close(h.ravel(), w.ravel(), _tolerance(w)) for w, h in pairs):
        want, have = pairs[0]
        if [s for s in want.shape if s != 1] == [s for s in have.shape if s != 1]:
            how = f"with axes of length 1 {'missing' if have.ndim < want.ndim else 'added'} (shape {have.shape}, expected {want.shape})"
            advice = "keep the reduced axes (keepdims=True) or drop them as the statement says."
        else:
            how = f"in the wrong shape {have.shape} (expected {want.shape})"
            advice = "the values are in the right order: build the result in the expected shape."
        return REARRANGED.format(what=what, how=how, advice=advice)
    return None


def _reduces(big: np.ndarray, small: np.ndarray, f: Callable[..., np.ndarray], axis: int) -> bool:
    """Is `small` the reduction f of `big` over `axis` (with or without keepdims)?"""
    return (
        axis < big.ndim
        and big.shape[axis] > 1
        and any(
            r.shape == small.shape and _close(r, small, _tolerance(small))
            for r in (f(big, axis=axis), f(big, axis=axis, keepdims=True))
        )
    )


def _reduction(pairs: list[tuple[np.ndarray, np.ndarray]], what: str) -> str | None:
    w, h = pairs[0]
    for op, op_past, f in (("sum", "summed", np.sum), ("mean", "averaged", np.mean)):
        for axis in range(max(w.ndim, h.ndim)):
            shapes = {"got_shape": h.shape, "want_shape": w.shape, "axis": f"axis {axis}", "what": what}
            if all(_reduces(have, want, f, axis) for want, have in pairs):
                return REDUCTION_MISSING.format(op=op, op_past=op_past, **shapes)
            if all(_reduces(want, have, f, axis) for want, have in pairs):
                return REDUCTION_EXTRA.format(op_past=op_past, **shapes)
    return None


# -- where the error is ----------------------------------------------------------------------------
def _part(indices: set[int], size: int) -> str | None:
    """A proper part of range(size) named by its position: a prefix, a suffix, both ends, all but one end."""
    if not indices or len(indices) == size:
        return None
    ordered = sorted(indices)
    if ordered == list(range(len(ordered))):
        return "first" if len(ordered) == 1 else f"first {len(ordered)}"
    if ordered == list(range(size - len(ordered), size)):
        return "last" if len(ordered) == 1 else f"last {len(ordered)}"
    if size >= 3 and ordered == list(range(1, size - 1)):
        return "inner"
    if size >= 3 and ordered == [0, size - 1]:
        return "first and last"
    return None


def region(examples: Sequence[Example], what: str) -> str | None:
    """The wrong values lie, along some axis, only at its start, its end, both ends or inside, on
    every example; on one at least, right values that are not zero lie outside that part."""
    found = _same_rank_pairs(examples)
    if found is None:
        return None
    pairs, ndim = found
    places = []
    for axis in range(ndim):
        kinds: set[str] = set()
        described: str | None = None
        evidence = False
        for want, have in pairs:
            tolerance = _tolerance(want)
            wrong = np.abs(have - want) > tolerance
            others = tuple(a for a in range(ndim) if a != axis)
            rows = (
                set(np.flatnonzero(wrong.any(axis=others)).tolist())
                if others
                else set(np.flatnonzero(wrong).tolist())
            )
            if want.shape[axis] == 1:
                continue  # one row: its first and its last, so no evidence either way
            part = _part(rows, want.shape[axis])
            if part is None:
                break
            kinds.add(part.split(" ")[0] if part not in ("first and last",) else part)
            described = described if described and len(described) >= len(part) else part
            outside = [i for i in range(want.shape[axis]) if i not in rows]
            if np.any(np.abs(np.take(want, outside, axis=axis)) > 100 * tolerance):
                evidence = True
        else:
            if evidence and len(kinds) == 1 and described:
                places.append((axis, described))
    if not places:
        return _edges(pairs, what)
    if ndim >= 2 and len(places) == 1 and places[0][0] < ndim - 2:
        axis, part = places[0]
        where = f"at the {part} index{'es' if part[-1].isdigit() or ' ' in part else ''} along axis {axis}"
        return REGION.format(what=what, where=where, advice=_ADVICE_INDEX)
    spatial = [(axis, part) for axis, part in places if ndim < 2 or axis >= ndim - 2]
    if not spatial:
        return None
    words = []
    for axis, part in spatial:
        unit = _unit(axis, ndim) if ndim >= 2 else "element"
        plural = part[-1].isdigit() or part in ("first and last", "inner")
        words.append(f"in the {part} {unit}{'s' if plural else ''}")
    return REGION.format(what=what, where=" and ".join(words), advice=_ADVICE_BORDER)


def _edges(pairs: list[tuple[np.ndarray, np.ndarray]], what: str) -> str | None:
    """The wrong values lie only in the last row and the last column (or the first ones) of the last
    two axes, on every example; on one at least both are wrong and right values that are not zero
    lie outside them. (Per axis, an error in a whole column spreads over every row: region() misses it.)"""
    if pairs[0][0].ndim < 2:
        return None
    for index, part in ((-1, "last"), (0, "first")):
        evidence = False
        for want, have in pairs:
            tolerance = _tolerance(want)
            wrong = np.abs(have - want) > tolerance
            band = np.zeros(want.shape, dtype=bool)
            band[..., index, :] = True
            band[..., :, index] = True
            if np.any(wrong & ~band):
                break
            rows, columns = np.take(wrong, index, axis=-2), np.take(wrong, index, axis=-1)
            inside = np.abs(np.where(band, 0.0, want)) > 100 * tolerance
            if want.shape[-1] > 1 and want.shape[-2] > 1 and rows.any() and columns.any() and inside.any():
                evidence = True
        else:
            if evidence:
                where = f"in the {part} row and the {part} column"
                return REGION.format(what=what, where=where, advice=_ADVICE_BORDER)
    return None


def where_input(examples: Sequence[Example], what: str) -> str | None:
    """The wrong values lie only where an input of the output's shape is negative, zero or positive,
    on every example; in all, two or more are wrong there and two or more non-zero ones right elsewhere."""
    pairs = _pairs(examples)
    if not pairs:
        return None
    found: dict[str, str] = {}
    for name, value in _inputs(examples[0].case).items():
        if not (isinstance(value, np.ndarray) and value.shape == pairs[0][0].shape):
            continue
        for condition, test in _CONDITIONS:
            wrong_inside = right_outside = 0
            for example, (want, have) in zip(examples, pairs):
                v = _inputs(example.case).get(name)
                if not (isinstance(v, np.ndarray) and v.shape == want.shape):
                    break
                tolerance = _tolerance(want)
                wrong = np.abs(have - want) > tolerance
                mask = test(v)
                if np.any(wrong & ~mask):
                    break
                wrong_inside += int(wrong.sum())
                right_outside += int(np.count_nonzero(~mask & (np.abs(want) > 100 * tolerance)))
            else:
                if wrong_inside >= 2 and right_outside >= 2:
                    found.setdefault(name, condition.format(name=name))  # the tightest condition first
                    break
    # Two inputs that both fit (on tiny, shrunk inputs they can agree by chance): no claim.
    return WHERE_INPUT.format(what=what, condition=next(iter(found.values()))) if len(found) == 1 else None


_CONDITIONS: tuple[tuple[str, Callable[[np.ndarray], np.ndarray]], ...] = (
    ("{name} < 0", lambda v: v < 0),
    ("{name} = 0", lambda v: v == 0),
    ("{name} > 0", lambda v: v > 0),
    ("{name} ≤ 0", lambda v: v <= 0),
    ("{name} ≥ 0", lambda v: v >= 0),
)


# -- all together --------------------------------------------------------------------------------------
def _wrong_item(examples: Sequence[Example], names: tuple[str, ...]) -> tuple[int, str] | None:
    """For tuples: the one item wrong on every example (others right), with its name."""
    wrong_sets = []
    for example in examples:
        if not (isinstance(example.expected, tuple) and isinstance(example.got, tuple | list)):
            return None
        if len(example.got) != len(example.expected):
            return None
        wrong = set()
        for i, (want, have) in enumerate(zip(example.expected, example.got)):
            w, h = _array(want), _array(have)
            if w is None or h is None or not _close(h, w, _tolerance(w)):
                wrong.add(i)
        wrong_sets.append(wrong)
    common = set.intersection(*wrong_sets) if wrong_sets else set()
    if len(common) != 1:
        return None
    index = next(iter(common))
    return index, (names[index] if index < len(names) else f"item {index}")


def explain(
    examples: Sequence[Example],
    names: tuple[str, ...] = (),
    expect: Callable[[Any], Any] | None = None,
    equivalent: Callable[[Any, Any], bool] | None = None,
) -> str | None:
    """The first structural rule that holds on every example; None if none does."""
    examples = [e for e in examples if e.got is not None]
    sentence = scalars.explain_examples(examples, names, expect)
    if sentence is not None:
        return sentence
    if not examples or max(_size(e.expected) for e in examples) < MIN_VALUES:
        return None  # on tiny outputs alone, too many relations hold by chance
    if isinstance(examples[0].expected, tuple):
        sentence = tuple_order(examples, names)
        if sentence is not None:
            return sentence
    if expect is not None and equivalent is not None:
        whole = "result" if isinstance(examples[0].expected, tuple) else "output"
        sentence = input_changed(examples, expect, equivalent, whole) or padding.padded_sides(
            examples, expect, equivalent, whole
        )
        if sentence is not None:
            return sentence
    what = "output"
    if isinstance(examples[0].expected, tuple):
        item = _wrong_item(examples, names)
        if item is None:
            return None
        index, what = item
        examples = [Example(e.case, e.expected[index], e.got[index]) for e in examples]
    for rule in (elementwise, offset, moved, reshaped, where_input, region, axis_factor):
        sentence = rule(examples, what)
        if sentence is not None:
            return sentence
    return None

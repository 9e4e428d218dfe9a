"""Staged comparison of a student's value with the reference: type, shape, dtype kind, values.

Every stage that fails returns a Mismatch saying exactly what differed, in words a student can
act on. The exact shape is always checked: a broadcastable but wrong shape is still wrong.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from tutor.checking.result import Status
from tutor.checking.wire import Foreign


@dataclass(frozen=True)
class Mismatch:
    status: Status
    message: str
    expected: str | None = None
    got: str | None = None
    worst_index: str | None = None
    worst_error: float | None = None
    expected_at_worst: float | None = None
    got_at_worst: float | None = None
    tolerance: str | None = None
    expected_shape: tuple[int, ...] | None = None
    got_shape: tuple[int, ...] | None = None
    diagnosis: str | None = None
    """What the judge itself recognised (e.g. a LeNet stage that matches ReLU), for a property
    without alternative references; one sentence."""
    expected_array: Any = None
    got_array: Any = None
    """The arrays the judge compared when they are not the function's return value itself (one
    stage of a network), so renderers can draw the difference."""
    allowed_error: float | None = None
    """With expected_array: the largest |got − expected| the tolerance accepted."""


def worst_leading_index(expected: np.ndarray, got: np.ndarray) -> tuple[int, ...]:
    """For same-shape arrays of 3 or more dimensions: the index over the leading axes (e.g. n, c)
    of the 2-D slice holding the largest error (NaN or inf where a number belongs counts as largest)."""
    lead = expected.shape[:-2]
    e, g = expected.astype(np.float64), got.astype(np.float64)
    same = (e == g) | (np.isnan(e) & np.isnan(g))
    with np.errstate(invalid="ignore", over="ignore"):
        difference = np.abs(g - e)
    error = np.where(same, 0.0, np.where(np.isfinite(difference), difference, np.inf))
    per_slice = error.reshape(*lead, -1).max(axis=-1) if error.size else np.zeros(lead)
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(per_slice)), lead))


def format_value(value: Any, threshold: int = 400) -> str:
    """Small arrays in full, large ones summarised; always readable as Python."""
    if isinstance(value, np.ndarray):
        with np.printoptions(
            precision=4, suppress=True, threshold=threshold, linewidth=100, floatmode="maxprec"
        ):
            return np.array2string(value, separator=", ")
    if isinstance(value, Foreign):
        return f"a {value.type_name} ({value.text})"
    if isinstance(value, float):
        return repr(value)
    return repr(value)


def describe_type(value: Any) -> str:
    if isinstance(value, Foreign):
        return value.type_name
    if isinstance(value, np.generic):
        return f"numpy.{type(value).__name__}"
    return type(value).__name__


@dataclass(frozen=True)
class Comparison:
    def compare(self, expected: Any, got: Any) -> Mismatch | None:  # pragma: no cover - interface
        raise NotImplementedError

    def equivalent(self, expected: Any, got: Any) -> bool:
        """Used to match misconceptions: would `got` pass if `expected` were right?"""
        return self.compare(expected, got) is None


@dataclass(frozen=True)
class ArrayComparison(Comparison):
    """An ndarray of floats, close to the reference.

    Inputs are float64; float32 arithmetic is accepted, so the tolerance is relative to the size
    of the output: |got - expected| <= atol + rtol * max(1, max|expected|).
    """

    rtol: float = 1e-4
    atol: float = 1e-6

    def tolerance_text(self, expected: np.ndarray) -> str:
        return (
            f"|got − expected| ≤ {self.allowed(expected):.2g}  (rtol {self.rtol:g} × max(1, max|expected|))"
        )

    def allowed(self, expected: np.ndarray) -> float:
        finite = np.abs(expected[np.isfinite(expected)])
        scale = float(finite.max()) if finite.size else 0.0
        return self.atol + self.rtol * max(1.0, scale)

    def allowed_relative(self, expected: np.ndarray) -> float:
        """With `allowed`, the tolerance cell by cell, as renderers mark it: a cell differs when
        |got − expected| > allowed(expected) + allowed_relative(expected)·|expected|. Zero here: one
        bound for the whole array."""
        return 0.0

    def compare(self, expected: Any, got: Any) -> Mismatch | None:
        expected = np.asarray(expected, dtype=np.float64)
        if not isinstance(got, np.ndarray):
            hint = " Wrap it with np.asarray(...)." if isinstance(got, list | tuple) else ""
            if isinstance(got, Foreign) and "torch" in got.type_name.lower():
                hint = " Return a NumPy array, not a tensor."
            return Mismatch(
                Status.WRONG_TYPE,
                f"returned a {describe_type(got)}, but an np.ndarray was expected.{hint}",
                expected=format_value(expected),
                got=format_value(got),
            )
        if got.shape != expected.shape:
            return Mismatch(
                Status.WRONG_SHAPE,
                f"returned shape {got.shape}, expected {expected.shape}.",
                expected=format_value(expected),
                got=format_value(got),
                expected_shape=expected.shape,
                got_shape=got.shape,
            )
        if got.dtype.kind != "f":
            return Mismatch(
                Status.WRONG_DTYPE,
                f"returned dtype {got.dtype}, but a floating dtype was expected "
                "(an integer or boolean array loses the fractions).",
                expected=format_value(expected),
                got=format_value(got),
            )
        got64 = got.astype(np.float64)
        bad_finite = ~np.isfinite(got64) & np.isfinite(expected)
        if bad_finite.any():
            index = tuple(int(i) for i in np.argwhere(bad_finite)[0])
            return Mismatch(
                Status.NOT_FINITE,
                f"returned {got64[index]} at index {index} where the answer is {expected[index]:.6g}.",
                expected=format_value(expected),
                got=format_value(got),
                worst_index=str(index),
                expected_at_worst=float(expected[index]),
                got_at_worst=float(got64[index]),
            )
        allowed = self.allowed(expected)
        # inf - inf and nan arithmetic are expected here; they are masked, not errors.
        with np.errstate(invalid="ignore", over="ignore"):
            error = np.abs(np.where(np.isfinite(expected), got64 - expected, 0.0))
            same_specials = np.where(
                np.isfinite(expected), True, (got64 == expected) | (np.isnan(got64) & np.isnan(expected))
            )
        if expected.size and (error.max() > allowed or not same_specials.all()):
            flat = int(np.argmax(np.where(same_specials, error, np.inf)))
            index = tuple(int(i) for i in np.unravel_index(flat, expected.shape))
            wrong = int(np.count_nonzero((error > allowed) | ~same_specials))
            return Mismatch(
                Status.FAILED,
                f"got {wrong} of {expected.size} values wrong (compared with the reference); "
                f"the worst is at index {index}: expected {expected[index]:.6g}, got {got64[index]:.6g}.",
                expected=format_value(expected),
                got=format_value(got),
                worst_index=str(index),
                worst_error=float(error[index]) if np.isfinite(error[index]) else None,
                expected_at_worst=float(expected[index]),
                got_at_worst=float(got64[index]),
                tolerance=self.tolerance_text(expected),
            )
        return None


def _as_integer(value: Any) -> int | None:
    """An int however it was spelled (int, np.int64, or a float with no fraction); None otherwise."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return int(value)
    return None


def as_sequence(value: Any) -> list | None:
    """A tuple, a list or a 1-D NumPy array as a list (a sequence of numbers however it was spelled)."""
    if isinstance(value, tuple | list):
        return list(value)
    if isinstance(value, np.ndarray) and value.ndim == 1:
        return value.tolist()
    return None


@dataclass(frozen=True)
class IntegerComparison(Comparison):
    """An int, or a tuple of ints when the reference is a tuple."""

    item_names: tuple[str, ...] = ()
    """What each item of a tuple result is, for the message ("the separable cost"), in order."""

    def compare(self, expected: Any, got: Any) -> Mismatch | None:
        if isinstance(expected, tuple):
            items = as_sequence(got)
            if items is None or len(items) != len(expected):
                return Mismatch(
                    Status.WRONG_TYPE,
                    f"returned {format_value(got)} (a {describe_type(got)}), but a tuple of "
                    f"{len(expected)} items like {expected!r} was expected.",
                    expected=repr(expected),
                    got=format_value(got),
                )
            for position, (want, have) in enumerate(zip(expected, items)):
                mismatch = IntegerComparison().compare(want, have)  # the names are for this level only
                if mismatch is not None and isinstance(want, tuple) and mismatch.status is Status.FAILED:
                    # A nested tuple (e.g. a shape) is shown whole, not item by item again.
                    mismatch = replace(mismatch, message=f"returned {format_value(have)}, expected {want!r}.")
                if mismatch is not None:
                    return Mismatch(
                        mismatch.status,
                        (
                            f"gave the wrong {self.item_names[position]} (item {position} of the tuple): "
                            if position < len(self.item_names)
                            else f"got item {position} of the tuple wrong: "
                        )
                        + mismatch.message,
                        expected=repr(expected),
                        got=format_value(got),
                    )
            return None
        as_int = _as_integer(got)
        if as_int is None:
            return Mismatch(
                Status.WRONG_TYPE
                if not isinstance(got, numbers.Real) or isinstance(got, bool)
                else Status.FAILED,
                f"returned {format_value(got)} ({describe_type(got)}), but a whole number was expected.",
                expected=repr(expected),
                got=format_value(got),
            )
        if as_int != expected:
            return Mismatch(
                Status.FAILED,
                f"returned {as_int}, expected {expected}.",
                expected=repr(expected),
                got=repr(as_int),
            )
        return None

    def equivalent(self, expected: Any, got: Any) -> bool:
        """Numerically equal, so that a misconception predicting 2.5 matches a student's 2.5."""
        if isinstance(expected, tuple):
            items = as_sequence(got)
            return (
                items is not None
                and len(items) == len(expected)
                and all(map(self.equivalent, expected, items))
            )
        if (
            isinstance(got, bool | np.bool_)
            or not isinstance(got, numbers.Real)
            or not isinstance(expected, numbers.Real)
        ):
            return False
        return float(got) == float(expected)

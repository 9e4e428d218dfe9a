"""Comparisons for functions that return several arrays at once, e.g. (param, velocity) or (out, keep)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from tutor.checking.compare import ArrayComparison, Comparison, Mismatch, describe_type, format_value
from tutor.checking.result import Status


@dataclass(frozen=True)
class ScaledArrayComparison(ArrayComparison):
    """Like ArrayComparison, but the tolerance scales with the array itself even below 1.

    Optimizer state such as Adam's v holds numbers around 1e-3: a tolerance of 1e-4 in absolute
    terms would let a wrong state pass. Here |got − expected| <= atol + rtol · max|expected|.
    """

    rtol: float = 1e-4
    atol: float = 1e-12

    def tolerance_text(self, expected: np.ndarray) -> str:
        return f"|got − expected| ≤ {self.allowed(expected):.2g}  (rtol {self.rtol:g} × max|expected|)"

    def allowed(self, expected: np.ndarray) -> float:
        finite = np.abs(expected[np.isfinite(expected)])
        return self.atol + self.rtol * (float(finite.max()) if finite.size else 0.0)


@dataclass(frozen=True)
class MaskComparison(Comparison):
    """A boolean array equal to the reference, element for element."""

    def compare(self, expected: Any, got: Any) -> Mismatch | None:
        expected = np.asarray(expected, dtype=bool)
        if not isinstance(got, np.ndarray):
            return Mismatch(
                Status.WRONG_TYPE,
                f"returned a {describe_type(got)}, but a boolean np.ndarray was expected.",
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
        if got.dtype != np.bool_:
            return Mismatch(
                Status.WRONG_DTYPE,
                f"returned dtype {got.dtype}, but a boolean mask (dtype bool) was expected.",
                expected=format_value(expected),
                got=format_value(got),
            )
        wrong = got != expected
        if wrong.any():
            index = tuple(int(i) for i in np.argwhere(wrong)[0])
            return Mismatch(
                Status.FAILED,
                f"got {int(wrong.sum())} of {expected.size} mask values wrong; the first is at index {index}: "
                f"expected {bool(expected[index])}, got {bool(got[index])}.",
                expected=format_value(expected),
                got=format_value(got),
                worst_index=str(index),
            )
        return None


@dataclass(frozen=True)
class TupleComparison(Comparison):
    """A tuple (or list) of named items, each compared in order by its own comparison."""

    names: tuple[str, ...]
    items: tuple[Comparison, ...]
    separable: bool = True
    """Can one item be wrong while the others are right, as dx, dw and db can? Then a misconception
    about several items also explains a student who made it in some of them (engine._where_reproduced).
    False when the items are made together (dropout's out and its mask)."""

    def compare(self, expected: Any, got: Any) -> Mismatch | None:
        wanted = f"a tuple ({', '.join(self.names)})"
        if not isinstance(got, tuple | list) or len(got) != len(self.names):
            length = f" of {len(got)} items" if isinstance(got, tuple | list) else ""
            return Mismatch(
                Status.WRONG_TYPE,
                f"returned a {describe_type(got)}{length}, but {wanted} was expected.",
                expected=f"({', '.join(self.names)})",
                got=format_value(got),
            )
        for position, (name, comparison, want, have) in enumerate(zip(self.names, self.items, expected, got)):
            mismatch = comparison.compare(want, have)
            if mismatch is not None:
                return replace(
                    mismatch,
                    message=f"gave the wrong {name} (item {position} of the tuple): {mismatch.message}",
                )
        return None

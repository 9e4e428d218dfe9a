"""Shared pieces of the fake checks: small float arrays and a one-argument property."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tutor.checking.spec import Case, Property


def arrays():  # noqa: ANN201 - a Hypothesis strategy of Case
    from hypothesis import strategies as st

    from tutor.checking.strategies import float_arrays

    shapes = st.tuples(st.integers(1, 3), st.integers(1, 4))
    return shapes.flatmap(float_arrays).map(lambda x: Case.of(("x", x)))


def unary(function: str, expect: Callable[[np.ndarray], np.ndarray], name: str, **extra: object) -> Property:
    return Property(
        name=name,
        function=function,
        cases=arrays,
        expect=lambda case: expect(case["x"]),
        max_examples=15,
        explicit=lambda: [Case.of(("x", np.array([[-1.0, 0.0, 0.5, 2.0]])), label="mixed signs")],
        **extra,  # type: ignore[arg-type]
    )

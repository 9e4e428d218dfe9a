"""Two properties with different weights, so partial credit shows: arrays (weight 3), scalars (weight 1)."""

from __future__ import annotations

from tutor.checking.spec import Case, ExerciseCheck, Property


def _pairs():  # noqa: ANN202
    from hypothesis import strategies as st

    from tutor.checking.strategies import float_arrays

    shapes = st.tuples(st.integers(1, 3), st.integers(1, 4))
    return shapes.flatmap(lambda s: st.tuples(float_arrays(s), float_arrays(s))).map(
        lambda p: Case.of(("x", p[0]), ("y", p[1]))
    )


def _with_scalar():  # noqa: ANN202
    from hypothesis import strategies as st

    from tutor.checking.strategies import float_arrays

    shapes = st.tuples(st.integers(1, 3), st.integers(1, 4))
    return st.tuples(shapes.flatmap(float_arrays), st.integers(-3, 3)).map(
        lambda p: Case.of(("x", p[0]), ("y", float(p[1])))
    )


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="adds two arrays",
            function="add",
            cases=_pairs,
            expect=lambda c: c["x"] + c["y"],
            max_examples=15,
            weight=3.0,
        ),
        Property(
            name="adds a scalar",
            function="add",
            cases=_with_scalar,
            expect=lambda c: c["x"] + c["y"],
            max_examples=15,
            weight=1.0,
        ),
    )
)

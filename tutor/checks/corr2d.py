"""corr2d: single-channel cross-correlation, checked against F.conv2d (which is cross-correlation)."""

from __future__ import annotations

import numpy as np

from tutor.checking import strategies
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _reference as ref

FLIPPED = (
    "You flipped the kernel: that is the mathematical convolution. CNN layers (and this exercise) "
    "compute cross-correlation: out[i, j] = Σ x[i+a, j+b] · k[a, b], with no flip."
)
TRANSPOSED = "You used the kernel transposed (k[b, a] instead of k[a, b]): rows of k go with rows of x."
AVERAGED = "You averaged each window instead of summing it: drop the division by kh·kw."
SWAPPED_INPUTS = "You slid x over k instead of k over x: the kernel is the small array that moves."


def _expect(case: Case) -> np.ndarray:
    return ref.conv2d(case["x"][None, None], case["k"][None, None])[0, 0]


def _flipped(case: Case) -> np.ndarray:
    return ref.conv2d(case["x"][None, None], case["k"][None, None, ::-1, ::-1])[0, 0]


def _transposed(case: Case) -> np.ndarray:
    return ref.conv2d(case["x"][None, None], case["k"].T[None, None])[0, 0]


def _transposed_broadcast(case: Case) -> np.ndarray | None:
    # `window * k.T` for a kernel that is not square: NumPy broadcasts (1, 3) · (3, 1) to (3, 3)
    # where the shapes allow it, so the code runs and sums the wrong products.
    x, k = case["x"], case["k"]
    kh, kw = k.shape
    if kh == kw:
        return None
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    try:
        for i in range(out.shape[0]):
            for j in range(out.shape[1]):
                out[i, j] = np.sum(x[i : i + kh, j : j + kw] * k.T)
    except ValueError:  # the shapes do not broadcast: that student's code crashes here
        return None
    return out


def _averaged(case: Case) -> np.ndarray:
    return _expect(case) / case["k"].size


def _explicit() -> list[Case]:
    x = np.arange(9.0).reshape(3, 3)
    k = np.array([[0.0, 1.0], [2.0, 3.0]])
    tall = np.arange(20.0).reshape(5, 4) - 7
    return [
        Case.of(("x", x), ("k", k), label="Dive into Deep Learning §7.1 example"),
        Case.of(
            ("x", tall), ("k", np.array([[1.0, -1.0, 0.5]])), label="rectangular kernel, non-square input"
        ),
        Case.of(("x", tall), ("k", np.array([[2.0], [-1.0]])), label="column kernel"),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches torch.nn.functional.conv2d on one channel",
            function="corr2d",
            cases=strategies.corr2d_cases,
            expect=_expect,
            misconceptions=(
                Misconception(FLIPPED, _flipped),
                Misconception(TRANSPOSED, _transposed),
                Misconception(TRANSPOSED, _transposed_broadcast),
                Misconception(AVERAGED, _averaged),
            ),
            explicit=_explicit,
            explain_shape=ref.explain_output_size(),
            geometry=ref.conv_geometry,
            max_examples=80,
        ),
    )
)

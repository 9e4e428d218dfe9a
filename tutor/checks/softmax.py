"""softmax: any ndim and axis, stable for huge and mixed-magnitude logits, against torch.softmax."""

from __future__ import annotations

import numpy as np
import torch

from tutor.checking import strategies
from tutor.checking.compare import ArrayComparison
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _reference as ref

OVERFLOW = (
    "softmax overflowed: np.exp of a logit above 709 is inf, and inf/inf is nan. Subtract the max along the axis "
    "first (x − x.max(axis, keepdims=True)): softmax does not change, and the largest exponent becomes exp(0) = 1."
)
WRONG_AXIS_LAST = "You normalised over the wrong axis: you always used the last axis, but softmax must sum to 1 along `axis`."
WRONG_AXIS_FIRST = (
    "You normalised over the wrong axis (axis 0): softmax must sum to 1 along `axis` (default −1, the last)."
)
WHOLE_ARRAY = (
    "You divided by the sum of the WHOLE array: normalise each slice along `axis` separately (keepdims=True)."
)
GLOBAL_MAX = (
    "You subtracted the max of the whole array, not of each slice: a slice whose logits are far below the global max "
    "underflows to 0/0. Subtract x.max(axis=axis, keepdims=True)."
)
NO_KEEPDIMS = (
    "You reduced without keepdims=True, so the max or the sum lost its axis and NumPy broadcast it "
    "against the wrong one: x.max(axis=axis) of shape (N,) meets x of shape (N, K) along K. Keep the "
    "axis, x.max(axis=axis, keepdims=True), and the same for the sum."
)
NO_EXP = "You normalised the logits themselves; softmax exponentiates first: exp(x) / Σ exp(x)."
LOG_SOFTMAX = (
    "You returned log-softmax (x − logsumexp); softmax is its exp: the values are probabilities in [0, 1]."
)

# Softmax's error grows with the logits, not with its output (at most 1): float32 (accepted everywhere)
# rounds a logit of 4000, the largest drawn, by up to 1.2e-4, and its log-sum-exp by as much again, so a
# correct float32 log-softmax-then-exp is off by up to ~2e-4 in a probability. Wrong answers are off by far more.
VALUES = ArrayComparison(rtol=3e-4)


def _axis(case: Case) -> int:
    return case.get("axis", -1)


def _expect(case: Case) -> np.ndarray:
    with torch.no_grad():
        return torch.softmax(ref.tensor(case["x"]), dim=_axis(case)).numpy()


def _quiet(fn):  # noqa: ANN001, ANN202 - the student's formula, computed the way they did, without warnings
    def predict(case: Case) -> np.ndarray:
        with np.errstate(all="ignore"):
            return fn(np.asarray(case["x"], dtype=np.float64), _axis(case))

    return predict


def _stable(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _without_keepdims(in_max: bool, in_sum: bool):  # noqa: ANN202 - NumPy's broadcasting, as it ran
    def softmax(x: np.ndarray, axis: int) -> np.ndarray | None:
        try:
            e = np.exp(x - x.max(axis=axis, keepdims=not in_max))
            return e / e.sum(axis=axis, keepdims=not in_sum)
        except ValueError:  # the shapes do not broadcast: that student's code crashes instead
            return None

    return softmax


def _explicit() -> list[Case]:
    rng = np.random.default_rng(5)
    logits = rng.integers(-6, 7, size=(2, 3, 4)) / 2
    return [
        Case.of(("x", np.array([1000.0, 1001.0, 1002.0])), label="logits in the thousands"),
        Case.of(
            ("x", np.array([3000.0, 2995.5, 2992.5])),
            label="logits in the thousands, where float32 itself is off by 1e-4",
        ),
        Case.of(
            ("x", np.array([[1000.0, 0.0, -1000.0], [0.5, 0.25, 0.0]])),
            axis=1,
            label="rows of very different magnitude",
        ),
        Case.of(("x", np.array([[-1200.0, -1201.0], [3.0, 1.0]])), label="a row far below the global max"),
        Case.of(("x", logits), axis=0, label="3-D, axis 0"),
        Case.of(("x", logits), axis=-2, label="3-D, negative axis"),
        Case.of(("x", logits), label="3-D, default axis"),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches torch.softmax along the axis",
            function="softmax",
            cases=strategies.softmax_cases,
            expect=_expect,
            comparison=VALUES,
            misconceptions=(
                Misconception(
                    OVERFLOW, _quiet(lambda x, a: np.exp(x) / np.exp(x).sum(axis=a, keepdims=True))
                ),
                Misconception(
                    GLOBAL_MAX,
                    _quiet(lambda x, a: np.exp(x - x.max()) / np.exp(x - x.max()).sum(axis=a, keepdims=True)),
                ),
                Misconception(
                    WHOLE_ARRAY, _quiet(lambda x, a: np.exp(x - x.max()) / np.exp(x - x.max()).sum())
                ),
                Misconception(WRONG_AXIS_LAST, _quiet(lambda x, a: _stable(x, -1))),
                Misconception(WRONG_AXIS_FIRST, _quiet(lambda x, a: _stable(x, 0))),
                Misconception(NO_EXP, _quiet(lambda x, a: x / x.sum(axis=a, keepdims=True))),
                Misconception(LOG_SOFTMAX, _quiet(lambda x, a: np.log(_stable(x, a)))),
                Misconception(NO_KEEPDIMS, _quiet(_without_keepdims(in_max=True, in_sum=False))),
                Misconception(NO_KEEPDIMS, _quiet(_without_keepdims(in_max=False, in_sum=True))),
                Misconception(NO_KEEPDIMS, _quiet(_without_keepdims(in_max=True, in_sum=True))),
            ),
            explicit=_explicit,
            not_finite=OVERFLOW,
            max_examples=80,
        ),
    )
)

"""activations: relu and sigmoid against torch, inputs untouched, sigmoid exact in its far tails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from tutor.checking import strategies
from tutor.checking.compare import ArrayComparison, Mismatch, format_value
from tutor.checking.result import Status
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _reference as ref

RELU_LEAKY = "Negative inputs must become exactly 0 (ReLU), not a small multiple of x (that is leaky ReLU)."
RELU_ABS = "You returned |x|: ReLU keeps positive values and sets negative ones to 0."
RELU_MIN = "You kept the negative part: ReLU is max(x, 0), not min(x, 0)."
RELU_STEP = "You returned the step (x > 0) instead of x where it is positive: ReLU(x) = max(x, 0)."
SIGMOID_SIGN = "You computed 1/(1 + exp(x)), which is sigmoid(−x): the exponent is −x."
SIGMOID_OVERFLOW = (
    "exp(x) overflowed to inf for x > 709, and inf/inf is nan. Compute exp only of non-positive numbers: "
    "for x ≥ 0 use 1/(1 + exp(−x)), for x < 0 use exp(x)/(1 + exp(x)) (np.where on two safe branches)."
)
SIGMOID_TANH = (
    "You used 0.5·(1 + tanh(x)): the identity halves x first, σ(x) = 0.5·(1 + tanh(x/2)). "
    "Or compute 1/(1 + exp(−x)) for x ≥ 0 and exp(x)/(1 + exp(x)) for x < 0."
)
SIGMOID_NAIVE_TAIL = (
    "np.exp(−x) overflowed to inf for x < −709 (NumPy warns 'overflow encountered in exp'), so 1/(1 + inf) "
    "became 0, but sigmoid(−720) ≈ 2.03e−313 is not 0. For x < 0 use exp(x)/(1 + exp(x)), which never overflows."
)
# 1 − σ(−x) and 0.5·(1 + tanh(x/2)) both round to exactly 0 below x ≈ −37, where the tail cases live:
# the two are told apart only by luck, so one message names both.
SIGMOID_CANCELS = (
    "Your sigmoid cancels for x < 0: 1 − 1/(1 + exp(−x)) (that is 1 − σ(−x)) and 0.5·(1 + tanh(x/2)) are exact "
    "on paper, but they subtract two numbers that agree in every digit once x < −37 (tanh(x/2) rounds to −1), "
    "so the result becomes 0. For x < 0 use exp(x)/(1 + exp(x)), which has no subtraction."
)
SIGMOID_CLIPPED = (
    "You clipped x before exp to avoid the overflow; that silences the warning but changes the answer in the "
    "tails. Instead compute exp only of non-positive numbers: exp(x)/(1 + exp(x)) for x < 0."
)
SIGMOID_FLOAT32 = (
    "returned {dtype}: in its far tails sigmoid is smaller than float32 can hold (sigmoid(−120) ≈ 7.7e−53). "
    "Compute in float64, the dtype of the input."
)
SIGMOID_WIDER = (
    "returned {dtype}, but float64 input calls for a float64 result: convert back with .astype(np.float64)."
)
TAIL_VALUES = "got {wrong} of {size} values that are not exact; the worst is at index {index}: expected {expected:.6g}, got {got:.6g}."


@dataclass(frozen=True)
class RelativeComparison(ArrayComparison):
    """Element-wise relative error, for values that span hundreds of orders of magnitude."""

    rtol: float = 1e-6
    atol: float = 1e-320

    def tolerance_text(self, expected: np.ndarray) -> str:
        return f"|got − expected| ≤ {self.rtol:g}·|expected| + {self.atol:g}, element-wise"

    def allowed(self, expected: np.ndarray) -> float:
        return self.atol

    def allowed_relative(self, expected: np.ndarray) -> float:
        # The verdict's own bound, so the diff marks the tail cell it failed on (2e−313 vs 0).
        return self.rtol

    def compare(self, expected: Any, got: Any) -> Mismatch | None:
        staged = ArrayComparison(rtol=1e-4, atol=1e-6).compare(expected, got)
        if staged is not None and staged.status is not Status.FAILED:
            return staged
        expected = np.asarray(expected, dtype=np.float64)
        if got.dtype != np.float64:
            template = SIGMOID_FLOAT32 if got.dtype.itemsize < 8 else SIGMOID_WIDER
            return Mismatch(Status.WRONG_DTYPE, template.format(dtype=got.dtype))
        error = np.abs(got - expected)
        bad = error > self.rtol * np.abs(expected) + self.atol
        if not bad.any():
            return None
        with np.errstate(all="ignore"):
            relative = error / (np.abs(expected) + self.atol)
        index = tuple(int(i) for i in np.argwhere(bad)[np.argmax(relative[bad])])
        return Mismatch(
            Status.FAILED,
            TAIL_VALUES.format(
                wrong=int(bad.sum()),
                size=expected.size,
                index=index,
                expected=expected[index],
                got=got[index],
            ),
            expected=format_value(expected),
            got=format_value(got),
            worst_index=str(index),
            worst_error=float(error[index]),
            expected_at_worst=float(expected[index]),
            got_at_worst=float(got[index]),
            tolerance=self.tolerance_text(expected),
        )


def _torch(fn):  # noqa: ANN001, ANN202
    def expect(case: Case) -> np.ndarray:
        with torch.no_grad():
            return fn(ref.tensor(case["x"])).numpy()

    return expect


def _exact_sigmoid(case: Case) -> np.ndarray:
    """σ(x) = exp(log σ(x)). torch.sigmoid itself flushes float64 results below about 1e−308 to 0;
    F.logsigmoid is exact everywhere (log σ(−720) = −720 − log1p(e^−720)), so this is exact too."""
    with torch.no_grad():
        return torch.exp(F.logsigmoid(ref.tensor(case["x"]))).numpy()


def _quiet(fn):  # noqa: ANN001, ANN202 - a misconception computed the way the student did, without warnings
    def predict(case: Case) -> np.ndarray:
        with np.errstate(all="ignore"):
            return fn(np.asarray(case["x"], dtype=np.float64))

    return predict


def _one_minus(x: np.ndarray) -> np.ndarray:
    positive = 1 / (1 + np.exp(-np.abs(x)))
    return np.where(x >= 0, positive, 1 - positive)


def _explicit_relu() -> list[Case]:
    return [
        Case.of(("x", np.array([[-2.0, -0.5, 0.0], [0.5, 2.0, -3.0]])), label="negatives, zero, positives"),
        Case.of(("x", np.array([-1.5, 3.0, -0.0, 7.25])), label="1-D"),
    ]


def _explicit_sigmoid() -> list[Case]:
    return [
        Case.of(("x", np.array([-1000.0, -50.0, -1.0, 0.0, 1.0, 50.0, 1000.0])), label="large |x|"),
        Case.of(("x", np.array([[0.0, 2.0], [-2.0, 4.5]])), label="2-D"),
    ]


def _explicit_tail() -> list[Case]:
    return [Case.of(("x", np.array([-720.0, -500.0, -100.0, -40.0, 40.0, 720.0])), label="far tails")]


_SIGMOID_MISTAKES = (
    Misconception(SIGMOID_SIGN, _quiet(lambda x: 1 / (1 + np.exp(x)))),
    Misconception(SIGMOID_OVERFLOW, _quiet(lambda x: np.exp(x) / (1 + np.exp(x)))),
)

CHECK = ExerciseCheck(
    properties=(
        Property(
            name="relu matches torch.relu",
            new_array=True,
            function="relu",
            cases=strategies.activation_cases,
            expect=_torch(torch.relu),
            misconceptions=(
                Misconception(RELU_LEAKY, _quiet(lambda x: np.where(x > 0, x, 0.01 * x))),
                Misconception(RELU_ABS, _quiet(np.abs)),
                Misconception(RELU_MIN, _quiet(lambda x: np.minimum(x, 0.0))),
                Misconception(RELU_STEP, _quiet(lambda x: (x > 0).astype(np.float64))),
            ),
            explicit=_explicit_relu,
            max_examples=40,
            weight=0.4,
        ),
        Property(
            name="sigmoid matches torch.sigmoid",
            new_array=True,
            function="sigmoid",
            cases=lambda: strategies.activation_cases(bound=800.0),
            expect=_torch(torch.sigmoid),
            # Not in the tails' property: there 0.5·(1 + tanh(x)) and 1 − σ(−x) both round to 0.
            misconceptions=(
                *_SIGMOID_MISTAKES,
                Misconception(SIGMOID_TANH, _quiet(lambda x: 0.5 * (1 + np.tanh(x)))),
            ),
            explicit=_explicit_sigmoid,
            max_examples=40,
            weight=0.4,
        ),
        Property(
            name="sigmoid is exact in its far tails: matches exp(F.logsigmoid(x)) to a relative 1e-6",
            function="sigmoid",
            cases=strategies.sigmoid_tail_cases,
            expect=_exact_sigmoid,
            comparison=RelativeComparison(),
            misconceptions=(
                *_SIGMOID_MISTAKES,
                Misconception(SIGMOID_NAIVE_TAIL, _quiet(lambda x: 1 / (1 + np.exp(-x)))),
                Misconception(SIGMOID_CANCELS, _quiet(lambda x: 0.5 * (1 + np.tanh(x / 2)))),
                Misconception(SIGMOID_CANCELS, _quiet(_one_minus)),
                Misconception(SIGMOID_CLIPPED, _quiet(lambda x: 1 / (1 + np.exp(-np.clip(x, -500, 500))))),
                Misconception(SIGMOID_CLIPPED, _quiet(lambda x: 1 / (1 + np.exp(-np.clip(x, -100, 100))))),
            ),
            explicit=_explicit_tail,
            max_examples=30,
            weight=0.2,
            simplify_arrays=False,
        ),
    )
)

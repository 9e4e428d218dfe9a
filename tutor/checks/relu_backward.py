"""relu_backward: the gradient of ReLU, against torch autograd through torch.relu."""

from __future__ import annotations

import numpy as np
import torch

from tutor.checking import strategies
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _backward as grad

ONE_AT_ZERO = (
    "Your gradient is 1 where x == 0 (a mask like x >= 0). ReLU has no derivative at 0, and PyTorch uses 0 "
    "there: let dout through only where x > 0."
)
NO_DOUT = (
    "You returned the local gradient ∂out/∂x (the 0/1 mask) without multiplying by dout. The chain rule "
    "multiplies: dx = dout · (x > 0)."
)
MASK_FROM_DOUT = (
    "You built the mask from dout instead of x: ReLU blocks the gradient where its INPUT x was ≤ 0, "
    "whatever the sign of dout."
)
INVERTED = "Your mask is inverted: the gradient passes where x > 0 and is 0 where x ≤ 0."
FORWARD = "You returned ReLU's forward output max(x, 0); the backward pass returns dout · (x > 0)."


def _expect(case: Case) -> np.ndarray:
    return grad.gradients(torch.relu, [case["x"]], case["dout"])[0]


def _mistake(rule):  # noqa: ANN001, ANN202 - one line per misconception below
    def predict(case: Case) -> np.ndarray:
        return np.asarray(rule(case["dout"], case["x"]), dtype=np.float64)

    return predict


def _explicit() -> list[Case]:
    return [
        Case.of(
            ("dout", np.array([5.0, 6.0, 7.0])),
            ("x", np.array([-1.0, 0.0, 2.0])),
            label="the statement's example",
        ),
        Case.of(
            ("dout", np.arange(1.0, 25.0).reshape(2, 3, 4) - 12.0),
            (
                "x",
                np.where(
                    np.arange(24).reshape(2, 3, 4) % 3 == 0, 0.0, np.linspace(-3, 3, 24).reshape(2, 3, 4)
                ),
            ),
            label="3-D, zeros in x, dout of both signs",
        ),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches torch autograd through torch.relu",
            function="relu_backward",
            cases=strategies.relu_backward_cases,
            expect=_expect,
            misconceptions=(
                Misconception(ONE_AT_ZERO, _mistake(lambda dout, x: dout * (x >= 0))),
                Misconception(NO_DOUT, _mistake(lambda dout, x: x > 0)),
                Misconception(MASK_FROM_DOUT, _mistake(lambda dout, x: dout * (dout > 0))),
                Misconception(INVERTED, _mistake(lambda dout, x: dout * (x <= 0))),
                Misconception(INVERTED, _mistake(lambda dout, x: dout * (x < 0))),
                Misconception(FORWARD, _mistake(lambda dout, x: np.maximum(x, 0.0))),
            ),
            explicit=_explicit,
            max_examples=60,
        ),
    )
)

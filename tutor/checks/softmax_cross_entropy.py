"""softmax_cross_entropy: (loss, dlogits) against F.cross_entropy and torch autograd."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from tutor.checking import strategies
from tutor.checking.compare import ArrayComparison
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _backward as grad

SUMMED = (
    "Your loss and gradient are N times too large: you summed the cross-entropy over the batch. "
    "F.cross_entropy averages it: divide the loss by N, and so the gradient too, (p − onehot) / N."
)
GRAD_NOT_AVERAGED = (
    "Your loss is averaged but your gradient is not: the 1/N of the mean carries into the gradient, "
    "dlogits = (p − onehot) / N."
)
LOSS_NOT_AVERAGED = (
    "Your gradient is right but your loss is summed over the batch: average it, (1/N) · Σ −log p[n, y_n]."
)
OVERFLOW = (
    "Your loss or gradient is inf or nan for large logits: np.exp of a logit above 709 overflows. "
    "Subtract each row's max first (softmax does not change), and compute log p as "
    "(z − max) − log Σ exp(z − max)."
)
NO_ONE_HOT = (
    "Your gradient is softmax / N: you forgot to subtract 1 at the true class. "
    "d(−log p_y)/dz = p − onehot(y)."
)
SIGN = "Your loss has the wrong sign: cross-entropy is −log p of the true class, a positive number."
ALL_ROWS = (
    "You subtracted 1 in every row at every label: dlogits[:, labels] picks whole columns. "
    "Pair each row with its own label, dlogits[np.arange(N), labels] -= 1."
)
BATCH_AXIS = (
    "Your softmax normalises over the batch (axis 0): each example's probabilities are a row, so "
    "subtract each row's max and sum exp over axis=1 (the classes), with keepdims=True."
)
GRAD_SIGN = "Your gradient has the wrong sign: it is p − onehot(y) (then / N), not onehot(y) − p."

# Logits in the thousands: float32 (accepted everywhere) rounds a logit of 4000 by up to 1.2e-4, and
# the loss subtracts two such numbers, so a correct float32 solution is off by ~2.5e-4 there.
# Wrong answers are off by a factor of N, or by whole units.
VALUES = ArrayComparison(rtol=5e-4)


def _labels(case: Case) -> np.ndarray:
    return np.asarray(case["labels"], dtype=np.int64)


def _expect(case: Case) -> tuple[float, np.ndarray]:
    labels = torch.as_tensor(_labels(case))
    with torch.no_grad():
        loss = F.cross_entropy(torch.as_tensor(case["logits"], dtype=torch.float64), labels).item()
    (dlogits,) = grad.gradients(lambda z: F.cross_entropy(z, labels), [case["logits"]])
    return loss, dlogits


def _scaled(loss_factor, grad_factor):  # noqa: ANN001, ANN202 - a right answer, rescaled
    def predict(case: Case) -> tuple[float, np.ndarray]:
        loss, dlogits = _expect(case)
        n = len(_labels(case))
        return loss * (n if loss_factor == "N" else loss_factor), dlogits * (
            n if grad_factor == "N" else grad_factor
        )

    return predict


def _naive(log_of_softmax: bool):  # noqa: ANN202 - the textbook formulas without the max subtracted
    def predict(case: Case) -> tuple[float, np.ndarray]:
        z, labels = np.asarray(case["logits"], dtype=np.float64), _labels(case)
        rows = np.arange(len(labels))
        with np.errstate(all="ignore"):
            e = np.exp(z)
            p = e / e.sum(axis=1, keepdims=True)
            if log_of_softmax:
                loss = float(np.mean(-np.log(p[rows, labels])))
            else:
                loss = float(np.mean(np.log(e.sum(axis=1)) - z[rows, labels]))
            onehot = np.eye(z.shape[1])[labels]
            return loss, (p - onehot) / len(labels)

    return predict


def _no_one_hot(case: Case) -> tuple[float, np.ndarray]:
    loss, _ = _expect(case)
    z = torch.as_tensor(case["logits"], dtype=torch.float64)
    return loss, torch.softmax(z, dim=1).numpy() / z.shape[0]


def _all_rows(case: Case) -> tuple[float, np.ndarray]:
    loss, _ = _expect(case)
    z = torch.as_tensor(case["logits"], dtype=torch.float64)
    p = torch.softmax(z, dim=1).numpy()
    p[:, _labels(case)] -= 1.0  # NumPy: a repeated label is subtracted once
    return loss, p / z.shape[0]


def _over_batch(case: Case) -> tuple[float, np.ndarray]:
    z, labels = np.asarray(case["logits"], dtype=np.float64), _labels(case)
    rows = np.arange(len(labels))
    shifted = z - z.max(axis=0, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    p = np.exp(log_p)
    p[rows, labels] -= 1.0
    return float(-log_p[rows, labels].mean()), p / len(labels)


def _explicit() -> list[Case]:
    def case(logits, labels, label):  # noqa: ANN001, ANN202
        return Case.of(
            ("logits", np.array(logits, dtype=np.float64)), ("labels", np.array(labels)), label=label
        )

    return [
        case([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], [2, 0], "the statement's example"),
        case(
            [[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.5]],
            [0, 2],
            "logits in the thousands, both signs",
        ),
        case([[3000.0, 0.0], [0.5, 0.25], [-2.0, 4000.0]], [1, 0, 0], "rows of very different magnitude"),
        case([[0.5, -1.0, 2.0, 0.0]], [3], "one example"),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches F.cross_entropy and its autograd gradient",
            function="softmax_cross_entropy",
            cases=strategies.cross_entropy_cases,
            expect=_expect,
            comparison=grad.outputs(
                loss=grad.RealNumber(VALUES),
                dlogits=grad.Gradient(rtol=VALUES.rtol, like="dlogits is shaped like logits"),
            ),
            misconceptions=(
                Misconception(SUMMED, _scaled("N", "N")),
                Misconception(GRAD_NOT_AVERAGED, _scaled(1, "N")),
                Misconception(LOSS_NOT_AVERAGED, _scaled("N", 1)),
                Misconception(SIGN, _scaled(-1, 1)),
                Misconception(GRAD_SIGN, _scaled(1, -1)),
                Misconception(OVERFLOW, _naive(log_of_softmax=True)),
                Misconception(OVERFLOW, _naive(log_of_softmax=False)),
                Misconception(NO_ONE_HOT, _no_one_hot),
                Misconception(ALL_ROWS, _all_rows),
                Misconception(BATCH_AXIS, _over_batch),
            ),
            not_finite=OVERFLOW,
            explicit=_explicit,
            max_examples=80,
        ),
    )
)

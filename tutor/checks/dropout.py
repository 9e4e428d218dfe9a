"""dropout: inverted dropout in training mode, forward and backward, against torch.

The mask is the statement's draw, keep = rng.random(x.shape) >= p, made here in the grading process
from the same seed; torch then applies its training-mode formula with that mask,
x · keep / (1 − p) (what F.dropout computes with its own random mask). The backward is torch's own
dropout backward kernel, aten.native_dropout_backward(dout, keep, 1 / (1 − p)). A third property
checks what dropout is for, whatever the mask: on 20,000 units the mean output matches the mean input
(E[out] = x) and about a fraction p of the units are dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from tutor.checking import strategies
from tutor.checking.compare import ArrayComparison, Mismatch, as_sequence
from tutor.checking.result import Status
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _reference as ref
from tutor.checks._tuples import MaskComparison, TupleComparison

NOT_INVERTED = (
    "You dropped units without scaling the kept ones: that is the original dropout, which rescales at test time "
    "instead. Inverted dropout (torch's) divides the kept units by 1 − p during training: out = x · keep / (1 − p), "
    "so the expected output equals x and nothing changes at test time."
)
SCALED_BY_P = "You divided by p; the kept units are divided by the probability of KEEPING them, 1 − p."
MULTIPLIED = (
    "You multiplied the kept units by 1 − p (test-time scaling of the original dropout). Inverted dropout divides "
    "by 1 − p: out = x · keep / (1 − p)."
)
P_IS_KEEP = (
    "You used p as the probability of keeping a unit (keep = rng.random(...) < p). p is the probability of "
    "DROPPING one, as in torch: keep = rng.random(x.shape) >= p."
)
KEEP_BELOW = (
    "Your mask keeps a unit when rng.random(...) < 1 − p. That drops a fraction p too, but not the units the "
    "statement's draw drops: use keep = rng.random(x.shape) >= p exactly, so the same seed gives the same mask."
)
ONE_MASK = (
    "You drew one mask for the first axis's slices and reused it (rng.random(x.shape[1:])): every example of the "
    "batch lost the same units. Draw one value per unit: keep = rng.random(x.shape) >= p."
)
OTHER_RANDOMNESS = (
    "Your output agrees with your own mask, but the mask is not the one this seed gives: draw it from the rng you "
    "are given, keep = rng.random(x.shape) >= p (after rng = np.random.default_rng(rng)), never from "
    "np.random.rand / np.random.binomial (global state) or another generator method. Then the same seed always "
    "drops the same units, and the backward pass can reuse the mask."
)
BACKWARD_NOT_SCALED = (
    "Your gradient is not scaled: the forward pass divided the kept units by 1 − p, so their gradient is divided "
    "by 1 − p too: dx = dout · keep / (1 − p)."
)
BACKWARD_NOT_MASKED = (
    "Your gradient flows through dropped units. A dropped unit's output is 0 whatever x is, so its gradient is 0: "
    "dx = dout · keep / (1 − p)."
)
BACKWARD_INVERTED_MASK = (
    "You passed the gradient through the DROPPED units; keep is True where the unit was kept."
)
BACKWARD_BY_P = "You divided the gradient by p; the forward pass divided by 1 − p, and so does the backward."

MEAN_OFF = (
    "On {n:,} units the mean of your output is {got:.4g}, but the mean input is {want:.4g} (allowed: ±{allowed:.2g}, "
    "five standard errors). Inverted dropout keeps the expected value: E[x · keep / (1 − p)] = x, because a unit "
    "is kept with probability 1 − p."
)
FRACTION_OFF = (
    "Your function dropped {dropped:.1%} of {n:,} units with p = {p:g} (allowed: {p:.0%} ± {allowed:.1%}). Each unit "
    "is dropped with probability p: keep = rng.random(x.shape) >= p."
)
MEAN_SHAPE = "returned {what}, but a tuple (out, keep) of two arrays shaped like x was expected."


# -- references --------------------------------------------------------------------------------------
def _mask(case: Case) -> np.ndarray:
    """The statement's draw from the statement's generator."""
    return np.random.default_rng(case["rng"]).random(np.shape(case["x"])) >= case["p"]


def _apply(x: np.ndarray, keep: np.ndarray, p: float) -> np.ndarray:
    """torch's training-mode dropout formula with a given mask: x · keep / (1 − p)."""
    with torch.no_grad():
        return (ref.tensor(x) * torch.as_tensor(keep) / (1 - p)).numpy()


def _expect_forward(case: Case) -> tuple[np.ndarray, np.ndarray]:
    keep = _mask(case)
    return _apply(case["x"], keep, case["p"]), keep


def _expect_backward(case: Case) -> np.ndarray:
    with torch.no_grad():
        dx = torch.ops.aten.native_dropout_backward(
            ref.tensor(case["dout"]), torch.as_tensor(case["keep"]), 1.0 / (1.0 - case["p"])
        )
    return dx.numpy()


# -- what a student with each bug returns -----------------------------------------------------------------
@dataclass(frozen=True)
class AnyMask:
    """Any mask: what code that draws its randomness elsewhere returns (out consistent with its keep)."""

    x: np.ndarray
    p: float


@dataclass(frozen=True)
class DropoutComparison(TupleComparison):
    """(out, keep); a misconception may predict AnyMask: an output consistent with its own, other mask."""

    separable: bool = False  # out is made from keep: a right keep with a predicted out means nothing

    def equivalent(self, expected: Any, got: Any) -> bool:
        if isinstance(got, AnyMask):
            return False
        if not isinstance(expected, AnyMask):
            return super().equivalent(expected, got)
        items = got if isinstance(got, tuple | list) and len(got) == 2 else None
        if items is None or not isinstance(items[1], np.ndarray) or items[1].shape != expected.x.shape:
            return False
        # Any mask at all, the right one included: on a passing case such code just happened to
        # draw the statement's mask, which is evidence for this misconception, not against it.
        keep = items[1].astype(bool)
        return super().equivalent((expected.x * keep / (1 - expected.p), keep), (items[0], keep))


def _forward_bug(scale: Any = None, draw: Any = None):  # noqa: ANN202 - builds the misconception table
    """out = x · keep · scale(p), with keep = draw(uniforms, p) (the statement's mask by default)."""

    def predict(case: Case) -> tuple[np.ndarray, np.ndarray]:
        x, p = case["x"], case["p"]
        uniforms = np.random.default_rng(case["rng"]).random(np.shape(x))
        keep = (uniforms >= p) if draw is None else draw(uniforms, p)
        with np.errstate(all="ignore"):
            factor = 1 / (1 - p) if scale is None else scale(p)
            return x * keep * factor, keep

    return predict


def _one_mask(case: Case) -> tuple[np.ndarray, np.ndarray] | None:
    x, p = case["x"], case["p"]
    if x.ndim < 2 or x.shape[0] < 2:
        return None
    keep = np.broadcast_to(np.random.default_rng(case["rng"]).random(x.shape[1:]) >= p, x.shape)
    return x * keep / (1 - p), keep


def _other_randomness(case: Case) -> AnyMask:
    return AnyMask(case["x"], case["p"])


def _backward_bug(fn):  # noqa: ANN001, ANN202
    def predict(case: Case) -> np.ndarray:
        with np.errstate(all="ignore"):
            return fn(case["dout"], case["keep"], case["p"])

    return predict


# -- the expected value ---------------------------------------------------------------------------------
def _judge_mean(case: Case, got: Any) -> Mismatch | None:
    """E[out] = x and a dropped fraction of p, within five standard errors, whatever the mask."""
    x, p = case["x"], case["p"]
    items = as_sequence(got) if isinstance(got, tuple | list) else None
    if (
        items is None
        or len(items) != 2
        or not all(isinstance(a, np.ndarray) and a.shape == x.shape for a in items)
    ):
        return Mismatch(Status.WRONG_TYPE, MEAN_SHAPE.format(what=type(got).__name__))
    out, keep = (np.asarray(a, dtype=np.float64) for a in items)
    n = x.size
    dropped = 1 - float(keep.mean())
    allowed_fraction = 5 * math.sqrt(p * (1 - p) / n) + 1e-9
    if abs(dropped - p) > allowed_fraction:
        text = FRACTION_OFF.format(dropped=dropped, n=n, p=p, allowed=allowed_fraction)
        return Mismatch(Status.FAILED, text)
    want, mean = float(x.mean()), float(out.mean())
    allowed = 5 * math.sqrt(p / (1 - p) * float((x * x).sum())) / n + 1e-9
    if not math.isfinite(mean) or abs(mean - want) > allowed:
        return Mismatch(Status.FAILED, MEAN_OFF.format(n=n, got=mean, want=want, allowed=allowed))
    return None


# -- edge cases always tried ---------------------------------------------------------------------------------
EXAMPLE = np.array([[1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 2.0, -2.0]])


def _explicit_forward() -> list[Case]:
    rng = np.random.default_rng(3)
    batch = rng.integers(-6, 7, size=(3, 2, 4)) / 2
    return [
        Case.of(("x", EXAMPLE), ("p", 0.5), ("rng", 1), label="the statement's example"),
        Case.of(("x", EXAMPLE), ("p", 0.0), ("rng", 2), label="p = 0 keeps every unit as it is"),
        Case.of(("x", batch), ("p", 0.25), ("rng", 7), label="a batch of 3: each example has its own mask"),
        Case.of(("x", batch), ("p", 0.9), ("rng", 11), label="p = 0.9: most units dropped, the rest × 10"),
    ]


def _explicit_backward() -> list[Case]:
    keep = np.random.default_rng(1).random(EXAMPLE.shape) >= 0.5
    return [
        Case.of(("dout", EXAMPLE), ("keep", keep), ("p", 0.5), label="the statement's example"),
        Case.of(("dout", EXAMPLE), ("keep", np.ones(EXAMPLE.shape, dtype=bool)), ("p", 0.0), label="p = 0"),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="dropout: keep = rng.random(x.shape) >= p, and out matches torch's x · keep / (1 − p)",
            function="dropout",
            cases=strategies.dropout_cases,
            expect=_expect_forward,
            comparison=DropoutComparison(("out", "keep"), (ArrayComparison(), MaskComparison())),
            misconceptions=(
                Misconception(NOT_INVERTED, _forward_bug(scale=lambda p: 1.0)),
                Misconception(SCALED_BY_P, _forward_bug(scale=lambda p: 1 / p)),
                Misconception(MULTIPLIED, _forward_bug(scale=lambda p: 1 - p)),
                Misconception(P_IS_KEEP, _forward_bug(draw=lambda u, p: u < p, scale=lambda p: 1 / p)),
                Misconception(P_IS_KEEP, _forward_bug(draw=lambda u, p: u < p)),
                Misconception(KEEP_BELOW, _forward_bug(draw=lambda u, p: u < 1 - p)),
                Misconception(ONE_MASK, _one_mask),
                Misconception(OTHER_RANDOMNESS, _other_randomness),
            ),
            explicit=_explicit_forward,
            max_examples=60,
        ),
        Property(
            name="dropout keeps the expected value: mean(out) ≈ mean(x) and a fraction p dropped, on 20,000 units",
            function="dropout",
            cases=strategies.dropout_mean_cases,
            judge=_judge_mean,
            max_examples=10,
            weight=0.5,
            simplify_arrays=False,
        ),
        Property(
            name="dropout_backward matches torch's dropout backward, dout · keep / (1 − p)",
            function="dropout_backward",
            cases=strategies.dropout_backward_cases,
            expect=_expect_backward,
            misconceptions=(
                Misconception(BACKWARD_NOT_SCALED, _backward_bug(lambda d, k, p: d * k)),
                Misconception(BACKWARD_NOT_MASKED, _backward_bug(lambda d, k, p: d / (1 - p))),
                Misconception(BACKWARD_INVERTED_MASK, _backward_bug(lambda d, k, p: d * ~k / (1 - p))),
                Misconception(BACKWARD_BY_P, _backward_bug(lambda d, k, p: d * k / p)),
            ),
            explicit=_explicit_backward,
            max_examples=40,
        ),
    )
)

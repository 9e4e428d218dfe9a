"""batch_norm2d_backward: (dx, dgamma, dbeta) against torch autograd through F.batch_norm(training=True)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from tutor.checking import strategies
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _backward as grad

AXES = (0, 2, 3)

NO_STATISTICS = (
    "Your dx treats the batch mean μ and variance σ² as constants: dx = dout · γ / √(σ² + ε). In training "
    "mode both are computed FROM x, so every x also moves μ and σ², and the gradient flows through them: "
    "dx = γ/√(σ² + ε) · (dout − mean(dout) − x̂ · mean(dout · x̂)), means over N, H, W per channel."
)
NO_MEAN_TERM = (
    "Your dx is missing the term through the mean μ: μ depends on every x, so subtract mean(dout · γ) per "
    "channel. dx = γ/√(σ² + ε) · (dout − mean(dout) − x̂ · mean(dout · x̂))."
)
NO_VARIANCE_TERM = (
    "Your dx is missing the term through the variance σ²: σ² depends on every x, so subtract "
    "x̂ · mean(dout · x̂) too. dx = γ/√(σ² + ε) · (dout − mean(dout) − x̂ · mean(dout · x̂))."
)
UNBIASED = (
    "You used the unbiased variance (dividing by N·H·W − 1, e.g. np.var(..., ddof=1)). BatchNorm's training "
    "mode normalises with the biased variance, dividing by N·H·W, and its backward pass uses the same."
)
NOT_SUMMED = (
    "Your dgamma or dbeta is not summed over the batch and the positions: γ_c and β_c are shared by all N·H·W "
    "values of channel c, so dbeta = dout.sum(axis=(0, 2, 3)) and dgamma = (dout · x̂).sum(axis=(0, 2, 3))."
)
AVERAGED = (
    "Your dgamma or dbeta is averaged: γ_c and β_c are shared by all N·H·W values of channel c, so "
    "their gradients are the SUM of those values' gradients, dbeta = dout.sum(axis=(0, 2, 3)) "
    "(any averaging of the loss is already inside dout)."
)
EPS_OUTSIDE = (
    "You added eps outside the square root, 1/(√σ² + ε): BatchNorm divides by √(σ² + ε), eps inside "
    "the root, in the forward pass and so in the backward pass too."
)
SWAPPED = "You swapped dgamma and dbeta: dgamma = Σ dout · x̂ (gamma multiplies x̂) and dbeta = Σ dout."
DGAMMA_FROM_X = "Your dgamma uses x instead of the normalised x̂: gamma multiplies x̂, so dgamma = Σ dout · x̂."
EPS_IGNORED = "You ignored the eps argument (your code uses 1e-5 whatever eps is passed): use √(σ² + eps)."


def _eps(case: Case) -> float:
    return case.get("eps", 1e-5)


def _expect(case: Case, eps: float | None = None) -> tuple[np.ndarray, ...]:
    eps = _eps(case) if eps is None else eps
    beta = np.zeros(len(case["gamma"]))
    forward = lambda x, g, b: F.batch_norm(x, None, None, g, b, training=True, eps=eps)  # noqa: E731
    return grad.gradients(forward, [case["x"], case["gamma"], beta], case["dout"])


def _unbiased_autograd(case: Case) -> tuple[np.ndarray, ...]:
    # The exact gradient of a forward pass that used the unbiased variance.
    def forward(x: torch.Tensor, g: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        mu = x.mean(dim=AXES, keepdim=True)
        var = x.var(dim=AXES, keepdim=True, unbiased=True)
        return g[None, :, None, None] * (x - mu) / torch.sqrt(var + _eps(case)) + b[None, :, None, None]

    return grad.gradients(forward, [case["x"], case["gamma"], np.zeros(len(case["gamma"]))], case["dout"])


def _formula(mean_term: bool = True, variance_term: bool = True, ddof: int = 0, eps_outside: bool = False):  # noqa: ANN202
    """The compact formula dx = γ/√(σ²+ε) · (dout − mean(dout) − x̂ · mean(dout · x̂)), with terms left out."""

    def predict(case: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x, dout, gamma = case["x"], case["dout"], case["gamma"][None, :, None, None]
        count = x.size // x.shape[1]
        if count - ddof <= 0:
            return None  # type: ignore[return-value]
        mu = x.mean(axis=AXES, keepdims=True)
        var = ((x - mu) ** 2).sum(axis=AXES, keepdims=True) / (count - ddof)
        inv = 1.0 / (np.sqrt(var) + _eps(case)) if eps_outside else 1.0 / np.sqrt(var + _eps(case))
        x_hat = (x - mu) * inv
        g = dout * gamma
        dx = g.copy()
        if mean_term:
            dx -= g.mean(axis=AXES, keepdims=True)
        if variance_term:
            dx -= x_hat * (g * x_hat).mean(axis=AXES, keepdims=True)
        return dx * inv, (dout * x_hat).sum(axis=AXES), dout.sum(axis=AXES)

    return predict


def _with(dgamma=None, dbeta=None):  # noqa: ANN001, ANN202 - the right dx with dgamma or dbeta changed
    def predict(case: Case) -> tuple:
        dx, right_dgamma, right_dbeta = _expect(case)
        x_hat = _x_hat(case)
        return (
            dx,
            right_dgamma if dgamma is None else dgamma(case, x_hat),
            right_dbeta if dbeta is None else dbeta(case, x_hat),
        )

    return predict


def _x_hat(case: Case) -> np.ndarray:
    x = case["x"]
    mu = x.mean(axis=AXES, keepdims=True)
    return (x - mu) / np.sqrt(x.var(axis=AXES, keepdims=True) + _eps(case))


def _explicit() -> list[Case]:
    rng = np.random.default_rng(31)
    x = rng.integers(-4, 5, size=(3, 2, 4, 5)).astype(np.float64)
    dout = rng.integers(-4, 5, size=x.shape) / 2
    gamma = np.array([1.5, -0.5])
    return [
        Case.of(
            ("dout", np.array([1.0, 0.0, 0.0, 0.0]).reshape(2, 1, 1, 2)),
            ("x", np.array([1.0, 2.0, 3.0, 4.0]).reshape(2, 1, 1, 2)),
            ("gamma", np.ones(1)),
            eps=2.75,
            label="the statement's example",
        ),
        Case.of(("dout", dout), ("x", x), ("gamma", gamma), label="distinct N, C, H, W; default eps"),
        Case.of(("dout", dout), ("x", x), ("gamma", gamma), eps=1.0, label="eps large enough to matter"),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches torch autograd through F.batch_norm(training=True)",
            function="batch_norm2d_backward",
            cases=strategies.batch_norm_backward_cases,
            expect=_expect,
            comparison=grad.outputs(
                dx=grad.Gradient(like="dx is shaped like x"),
                dgamma=grad.Gradient(like="dgamma is shaped like gamma, (C,)"),
                dbeta=grad.Gradient(like="dbeta is shaped like beta, (C,)"),
            ),
            misconceptions=(
                Misconception(NO_STATISTICS, _formula(mean_term=False, variance_term=False)),
                Misconception(NO_MEAN_TERM, _formula(mean_term=False)),
                Misconception(NO_VARIANCE_TERM, _formula(variance_term=False)),
                Misconception(UNBIASED, _formula(ddof=1)),
                Misconception(UNBIASED, _unbiased_autograd),
                Misconception(
                    NOT_SUMMED,
                    _with(
                        dgamma=lambda c, xh: (c["dout"] * xh).sum(axis=(2, 3)),
                        dbeta=lambda c, xh: c["dout"].sum(axis=(2, 3)),
                    ),
                ),
                Misconception(
                    NOT_SUMMED,
                    _with(
                        dgamma=lambda c, xh: (c["dout"] * xh).sum(axis=0),
                        dbeta=lambda c, xh: c["dout"].sum(axis=0),
                    ),
                ),
                Misconception(
                    SWAPPED,
                    _with(
                        dgamma=lambda c, xh: c["dout"].sum(axis=AXES),
                        dbeta=lambda c, xh: (c["dout"] * xh).sum(axis=AXES),
                    ),
                ),
                Misconception(DGAMMA_FROM_X, _with(dgamma=lambda c, xh: (c["dout"] * c["x"]).sum(axis=AXES))),
                Misconception(EPS_IGNORED, lambda case: _expect(case, eps=1e-5)),
                Misconception(
                    AVERAGED,
                    _with(
                        dgamma=lambda c, xh: (c["dout"] * xh).mean(axis=AXES),
                        dbeta=lambda c, xh: c["dout"].mean(axis=AXES),
                    ),
                ),
                Misconception(EPS_OUTSIDE, _formula(eps_outside=True)),
            ),
            explicit=_explicit,
            max_examples=60,
        ),
    )
)

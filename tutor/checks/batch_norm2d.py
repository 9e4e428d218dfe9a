"""batch_norm2d: training-mode batch normalisation, against F.batch_norm(training=True)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from tutor.checking import strategies
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _reference as ref

UNBIASED = (
    "You used the unbiased variance (dividing by N·H·W − 1, e.g. np.var(..., ddof=1) or torch's "
    "default .var()). BatchNorm normalises with the biased variance: divide by N·H·W."
)
EPS_OUTSIDE = "You put eps outside the square root: it is (x − μ) / √(σ² + ε), not (x − μ) / (√σ² + ε)."
NO_EPS = (
    "You left out eps: it is (x − μ) / √(σ² + ε). Check that you pass eps through and add it to the variance."
)
PER_IMAGE = (
    "You took the statistics per image (over H and W only): that is instance normalisation. "
    "BatchNorm pools each channel over the whole batch too: reduce over axes (0, 2, 3)."
)
PER_SAMPLE = (
    "You took the statistics per image over all channels (axes 1, 2, 3): that is layer normalisation. "
    "BatchNorm keeps the channels apart and pools over the batch: reduce over axes (0, 2, 3)."
)
PER_PIXEL = (
    "You reduced over the batch axis only, so every pixel got its own statistics (BatchNorm1d-style). "
    "For feature maps, pool each channel over the batch AND the positions: axes (0, 2, 3)."
)
ALL_AXES = "You pooled every channel together. Each channel c has its own μ_c and σ²_c: reduce over axes (0, 2, 3) only."
SWAPPED_AFFINE = (
    "You swapped gamma and beta: gamma scales (multiplies) the normalised value and beta shifts (adds)."
)
BETA_SCALED = (
    "You shifted before scaling, γ · (x̂ + β): then gamma scales beta too. BatchNorm scales the normalised "
    "value and shifts after: γ · x̂ + β."
)
NOT_CENTRED = (
    "Your variance is the mean of x² without subtracting μ: σ² = mean((x − μ)²), "
    "or equivalently mean(x²) − μ²."
)
WRONG_SPREAD = (
    "You divided by the wrong spread: x̂ = (x − μ) / √(σ² + ε), with σ² the VARIANCE. Dividing by "
    "σ² + ε (no square root), or taking √(σ + ε) of the standard deviation, does not give unit variance."
)
EPS_ARGUMENT_IGNORED = (
    "You ignored the eps argument (your code uses 1e-5 whatever eps is passed): use the eps parameter, "
    "√(σ² + eps)."
)
SPATIAL_AXIS_MISSING = (
    "You reduced over the batch and only one of the spatial axes. Each channel's statistics pool "
    "all N·H·W values: reduce over axes (0, 2, 3)."
)
NO_AFFINE = "You normalised but did not apply gamma and beta: return γ · x̂ + β."


GAMMA_ON_LAST_AXIS = (
    "gamma and beta have shape (C,), and NumPy lines a (C,) array up with the LAST axis of (N, C, H, W), "
    "the width. Reshape them to (1, C, 1, 1) (gamma[None, :, None, None], or gamma.reshape(1, -1, 1, 1)) "
    "so that they follow the channel axis."
)


def _explain_shape(case: Case, expected: tuple, got: tuple) -> str:
    n, c, h, w = case["x"].shape
    if got == (n, c, h, c) and w != c:
        return GAMMA_ON_LAST_AXIS
    return "The output has the shape of x."


def _expect(case: Case) -> np.ndarray:
    with torch.no_grad():
        out = F.batch_norm(
            ref.tensor(case["x"]),
            None,
            None,
            ref.tensor(case["gamma"]),
            ref.tensor(case["beta"]),
            training=True,
            eps=case.get("eps", 1e-5),
        )
    return out.numpy()


def _variant(
    axes: tuple[int, ...] = (0, 2, 3),
    ddof: int = 0,
    eps_outside: bool = False,
    use_eps: bool = True,
    swap: bool = False,
    affine: bool = True,
    centred: bool = True,
    spread: str = "std",
    eps_value: float | None = None,
    beta_scaled: bool = False,
    last_axis: bool = False,
):  # noqa: ANN202 - builds the misconception table
    def predict(case: Case) -> np.ndarray:
        x, gamma, beta = case["x"], case["gamma"], case["beta"]
        eps = case.get("eps", 1e-5) if eps_value is None else eps_value
        eps = eps if use_eps else 0.0
        mu = x.mean(axis=axes, keepdims=True)
        count = np.prod([x.shape[a] for a in axes])
        if count - ddof <= 0:
            return None
        var = ((x - mu if centred else x) ** 2).sum(axis=axes, keepdims=True) / (count - ddof)
        with np.errstate(divide="ignore", invalid="ignore"):
            if eps_outside:
                x_hat = (x - mu) / (np.sqrt(var) + eps)
            elif spread == "var":  # no square root
                x_hat = (x - mu) / (var + eps)
            elif spread == "sqrt_std":  # the square root of the standard deviation
                x_hat = (x - mu) / np.sqrt(np.sqrt(var) + eps)
            else:
                x_hat = (x - mu) / np.sqrt(var + eps)
        if not affine:
            return x_hat
        g, b = (beta, gamma) if swap else (gamma, beta)
        if last_axis:  # gamma * x_hat + beta as written: NumPy lines (C,) up with the width
            try:
                return g * x_hat + b
            except ValueError:  # the shapes do not broadcast: that student's code crashes
                return None
        if beta_scaled:
            return g[None, :, None, None] * (x_hat + b[None, :, None, None])
        return g[None, :, None, None] * x_hat + b[None, :, None, None]

    return predict


def _explicit() -> list[Case]:
    rng = np.random.default_rng(3)
    x = rng.integers(-4, 5, size=(3, 2, 4, 5)).astype(np.float64)
    gamma, beta = np.array([1.5, -0.5]), np.array([0.25, 2.0])
    return [
        Case.of(
            ("x", np.array([1.0, 2.0, 3.0, 4.0]).reshape(2, 1, 1, 2)),
            ("gamma", np.ones(1)),
            ("beta", np.zeros(1)),
            eps=0.5,
            label="the statement's example, eps 0.5",
        ),
        Case.of(("x", x), ("gamma", gamma), ("beta", beta), label="distinct N, C, H, W; default eps"),
        Case.of(("x", x), ("gamma", gamma), ("beta", beta), eps=1.0, label="eps large enough to matter"),
        Case.of(
            ("x", np.full((2, 2, 3, 1), 7.0)),
            ("gamma", gamma),
            ("beta", beta),
            label="a constant channel: variance 0",
        ),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches torch.nn.functional.batch_norm(training=True)",
            function="batch_norm2d",
            cases=strategies.batch_norm_cases,
            expect=_expect,
            misconceptions=(
                Misconception(UNBIASED, _variant(ddof=1)),
                Misconception(EPS_OUTSIDE, _variant(eps_outside=True)),
                Misconception(NO_EPS, _variant(use_eps=False)),
                Misconception(PER_IMAGE, _variant(axes=(2, 3))),
                Misconception(PER_SAMPLE, _variant(axes=(1, 2, 3))),
                Misconception(PER_PIXEL, _variant(axes=(0,))),
                Misconception(ALL_AXES, _variant(axes=(0, 1, 2, 3))),
                Misconception(SWAPPED_AFFINE, _variant(swap=True)),
                Misconception(NO_AFFINE, _variant(affine=False)),
                Misconception(BETA_SCALED, _variant(beta_scaled=True)),
                Misconception(NOT_CENTRED, _variant(centred=False)),
                Misconception(WRONG_SPREAD, _variant(spread="var")),
                Misconception(WRONG_SPREAD, _variant(spread="sqrt_std")),
                Misconception(EPS_ARGUMENT_IGNORED, _variant(eps_value=1e-5)),
                Misconception(SPATIAL_AXIS_MISSING, _variant(axes=(0, 2))),
                Misconception(SPATIAL_AXIS_MISSING, _variant(axes=(0, 3))),
                Misconception(GAMMA_ON_LAST_AXIS, _variant(last_axis=True)),
            ),
            explicit=_explicit,
            explain_shape=_explain_shape,
            max_examples=60,
        ),
    )
)

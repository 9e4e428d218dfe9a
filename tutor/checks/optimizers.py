"""optimizers: one step of SGD with momentum and of Adam, step for step against torch.optim.

Each drawn case is a short run (a parameter and one gradient per step). The grading process drives
torch.optim.SGD / torch.optim.Adam through the steps before the last one, and hands the student the
state torch reached (param, velocity or m, v, and t); the reference is the state after torch's next
step, read back from the optimizer. Over many runs every step number gets compared, the first
(empty state) included, and the explicit cases walk one run step by step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from tutor.checking import strategies
from tutor.checking.compare import ArrayComparison
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _reference as ref
from tutor.checks._tuples import ScaledArrayComparison, TupleComparison

# -- SGD with momentum ------------------------------------------------------------------------------
DAMPENED = (
    "You averaged the velocity, v = μ·v + (1 − μ)·g (the 'dampened' or exponential-average form). "
    "torch.optim.SGD(momentum=μ) adds the whole gradient: v = μ·v + g, then param − lr·v."
)
LR_IN_VELOCITY = (
    "You put the learning rate inside the velocity (v = μ·v + lr·g, param − v). torch.optim.SGD keeps lr "
    "outside: v = μ·v + g, param − lr·v; the two differ as soon as lr changes, and the velocity you return "
    "is not the one torch stores."
)
NEGATIVE_VELOCITY = (
    "You used the velocity form v = μ·v − lr·g, param + v (cs231n's notes). torch.optim.SGD stores "
    "v = μ·v + g (the gradient's direction, no lr) and steps param − lr·v."
)
OLD_VELOCITY = (
    "You moved the parameter with the OLD velocity and updated the velocity afterwards. Update v = μ·v + g "
    "first, then step with the new v: param − lr·v."
)
GRADIENT_STEP = (
    "You stepped with the gradient (param − lr·g), so the momentum had no effect on the parameter. Step with "
    "the new velocity: param − lr·v."
)
NESTEROV = (
    "You used Nesterov's update (param − lr·(g + μ·v)). Plain momentum, torch.optim.SGD(momentum=μ) with "
    "nesterov=False, steps param − lr·v with v = μ·v + g."
)

# -- Adam -----------------------------------------------------------------------------------------------
NO_BIAS_CORRECTION = (
    "You left out the bias correction: m and v start at 0, so early on they are too small. Divide by "
    "(1 − β1^t) and (1 − β2^t): m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t), then param − lr·m̂ / (√v̂ + eps)."
)
ONLY_M_CORRECTED = "You corrected the bias of m but not of v: v̂ = v / (1 − β2^t) too."
T_PLUS_ONE = (
    "Your bias correction is one step ahead: t is already the number of THIS step (1 for the first), so use "
    "β^t, not β^(t + 1) (do not add 1 to t)."
)
T_MINUS_ONE = (
    "Your bias correction is one step behind: t is the number of THIS step (1 for the first), so use β^t, not "
    "β^(t − 1)."
)
EPS_INSIDE = "You put eps inside the square root. torch.optim.Adam divides by √v̂ + eps."
NOT_SQUARED = (
    "Your v averages the size of the gradient, |g|; v is the moving average of the SQUARED gradient: "
    "β2·v + (1 − β2)·g²."
)
BETAS_SWAPPED = "You swapped the betas: m uses β1 (0.9 by default) and v uses β2 (0.999)."
CORRECTED_STATE = (
    "You returned the bias-corrected m̂ and v̂ as the new state. Keep m and v uncorrected (the moving averages) "
    "and use m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t) only for the step; otherwise the next step corrects twice."
)
OLD_MOMENTS = "You moved the parameter with the OLD m and v. Update m and v with this gradient first, then step with them."
NO_SQRT = "You divided by v̂ itself; Adam divides by its square root: param − lr·m̂ / (√v̂ + eps)."

TOLERANCE = ScaledArrayComparison(rtol=1e-4)
SGD_RESULT = TupleComparison(("param", "velocity"), (ArrayComparison(), TOLERANCE))
ADAM_RESULT = TupleComparison(("param", "m", "v"), (ArrayComparison(), TOLERANCE, TOLERANCE))


# -- driving torch.optim --------------------------------------------------------------------------------
def _parameter(value: np.ndarray) -> torch.nn.Parameter:
    return torch.nn.Parameter(ref.tensor(value).clone())


def _sgd(param: torch.nn.Parameter, lr: float, momentum: float) -> torch.optim.SGD:
    return torch.optim.SGD([param], lr=lr, momentum=momentum)


def _adam(param: torch.nn.Parameter, lr: float, settings: dict[str, Any]) -> torch.optim.Adam:
    return torch.optim.Adam([param], lr=lr, **settings)


def _step(optimizer: torch.optim.Optimizer, param: torch.nn.Parameter, grad: np.ndarray) -> None:
    param.grad = ref.tensor(grad)
    optimizer.step()


def _sgd_case(run: strategies.OptimizerRun, label: str = "") -> Case:
    """The state torch.optim.SGD reached after all steps but the last, and the last gradient."""
    settings = dict(run.settings)
    param = _parameter(run.param)
    optimizer = _sgd(param, run.lr, float(settings["momentum"]))  # type: ignore[arg-type]
    for grad in run.grads[:-1]:
        _step(optimizer, param, grad)
    buffer = optimizer.state[param].get("momentum_buffer")
    velocity = np.zeros_like(run.param) if buffer is None else buffer.detach().numpy().copy()
    return Case.of(
        ("param", param.detach().numpy().copy()),
        ("grad", run.grads[-1]),
        ("velocity", velocity),
        ("lr", run.lr),
        ("momentum", settings["momentum"]),
        label=label,
    )


def _adam_case(run: strategies.OptimizerRun, label: str = "") -> Case:
    """The state torch.optim.Adam reached after all steps but the last, the last gradient and its t."""
    param = _parameter(run.param)
    optimizer = _adam(param, run.lr, dict(run.settings))
    for grad in run.grads[:-1]:
        _step(optimizer, param, grad)
    state = optimizer.state[param]
    m = state["exp_avg"].detach().numpy().copy() if state else np.zeros_like(run.param)
    v = state["exp_avg_sq"].detach().numpy().copy() if state else np.zeros_like(run.param)
    return Case.of(
        ("param", param.detach().numpy().copy()),
        ("grad", run.grads[-1]),
        ("m", m),
        ("v", v),
        ("t", len(run.grads)),
        ("lr", run.lr),
        label=label,
        **dict(run.settings),
    )


def _expect_sgd(case: Case) -> tuple[np.ndarray, np.ndarray]:
    """One step of torch.optim.SGD from the case's state (its momentum buffer loaded as is)."""
    param = _parameter(case["param"])
    optimizer = _sgd(param, case["lr"], case["momentum"])
    optimizer.state[param]["momentum_buffer"] = ref.tensor(case["velocity"]).clone()
    _step(optimizer, param, case["grad"])
    return param.detach().numpy(), optimizer.state[param]["momentum_buffer"].numpy()


def _adam_settings(case: Case) -> dict[str, Any]:
    return {name: case[name] for name in ("betas", "eps") if name in case.named()}


def _expect_adam(case: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One step of torch.optim.Adam from the case's state: m, v and the t − 1 steps taken so far."""
    param = _parameter(case["param"])
    optimizer = _adam(param, case["lr"], _adam_settings(case))
    optimizer.state[param].update(
        step=torch.tensor(float(case["t"] - 1)),
        exp_avg=ref.tensor(case["m"]).clone(),
        exp_avg_sq=ref.tensor(case["v"]).clone(),
    )
    _step(optimizer, param, case["grad"])
    state = optimizer.state[param]
    return param.detach().numpy(), state["exp_avg"].numpy(), state["exp_avg_sq"].numpy()


# -- what a student with each bug returns (NumPy, float64) -----------------------------------------------
def _sgd_bug(update: Callable[..., tuple[np.ndarray, np.ndarray]]):  # noqa: ANN202
    def predict(case: Case) -> tuple[np.ndarray, np.ndarray]:
        return update(case["param"], case["grad"], case["velocity"], case["lr"], case["momentum"])

    return predict


def _adam_bug(
    corrected_m: bool = True,
    corrected_v: bool = True,
    shift: int = 0,
    eps_inside: bool = False,
    square: bool = True,
    swap: bool = False,
    return_corrected: bool = False,
    old_moments: bool = False,
    sqrt: bool = True,
):  # noqa: ANN202 - builds the misconception table
    def predict(case: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        p, g, m, v = case["param"], case["grad"], case["m"], case["v"]
        b1, b2 = case.get("betas", (0.9, 0.999))
        eps, lr, t = case.get("eps", 1e-8), case["lr"], case["t"] + shift
        if t < 1:
            return None  # β^0 = 1: a division by zero, not a value to compare
        if swap:
            b1, b2 = b2, b1
        m_new = b1 * m + (1 - b1) * g
        v_new = b2 * v + (1 - b2) * (g * g if square else np.abs(g))
        m_use, v_use = (m, v) if old_moments else (m_new, v_new)
        m_hat = m_use / (1 - b1**t) if corrected_m else m_use
        v_hat = v_use / (1 - b2**t) if corrected_v else v_use
        with np.errstate(all="ignore"):
            if not sqrt:
                denominator = v_hat + eps
            elif eps_inside:
                denominator = np.sqrt(v_hat + eps)
            else:
                denominator = np.sqrt(v_hat) + eps
            p_new = p - lr * m_hat / denominator
        if return_corrected:
            return p_new, m_new / (1 - b1**t), v_new / (1 - b2**t)
        return p_new, m_new, v_new

    return predict


# -- edge cases always tried: one run, every step ----------------------------------------------------------
def _statement_run(settings: tuple[tuple[str, object], ...], lr: float) -> list[strategies.OptimizerRun]:
    param = np.array([1.0, -2.0, 0.5])
    grads = (
        np.array([0.5, -1.0, 2.0]),
        np.array([0.5, 1.0, -2.0]),
        np.array([1.5, 0.0, 2.0]),
        np.array([-0.5, 0.5, 0.0]),
        np.array([0.5, -1.0, 4.0]),
    )
    return [strategies.OptimizerRun(param, grads[:k], lr, settings) for k in range(1, len(grads) + 1)]


def _explicit_sgd() -> list[Case]:
    runs = _statement_run((("momentum", 0.9),), 0.1)
    cases = [_sgd_case(run, label=f"the statement's run, step {i + 1}") for i, run in enumerate(runs)]
    other = _statement_run((("momentum", 0.5),), 0.25)
    return cases + [_sgd_case(other[-1], label="momentum 0.5, lr 0.25, step 5")]


def _explicit_adam() -> list[Case]:
    runs = _statement_run((), 0.1)
    cases = [_adam_case(run, label=f"the statement's run, step {i + 1}") for i, run in enumerate(runs)]
    tuned = _statement_run((("betas", (0.5, 0.75)), ("eps", 0.1)), 0.5)
    return cases + [_adam_case(run, label="betas (0.5, 0.75), eps 0.1") for run in tuned[::2]]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="sgd_momentum_step matches torch.optim.SGD(momentum=μ), step for step",
            function="sgd_momentum_step",
            cases=lambda: strategies.optimizer_runs("sgd").map(_sgd_case),
            expect=_expect_sgd,
            comparison=SGD_RESULT,
            misconceptions=(
                Misconception(
                    DAMPENED,
                    _sgd_bug(
                        lambda p, g, v, lr, mu: (p - lr * (mu * v + (1 - mu) * g), mu * v + (1 - mu) * g)
                    ),
                ),
                Misconception(
                    LR_IN_VELOCITY, _sgd_bug(lambda p, g, v, lr, mu: (p - (mu * v + lr * g), mu * v + lr * g))
                ),
                Misconception(
                    NEGATIVE_VELOCITY,
                    _sgd_bug(lambda p, g, v, lr, mu: (p + (mu * v - lr * g), mu * v - lr * g)),
                ),
                Misconception(OLD_VELOCITY, _sgd_bug(lambda p, g, v, lr, mu: (p - lr * v, mu * v + g))),
                Misconception(GRADIENT_STEP, _sgd_bug(lambda p, g, v, lr, mu: (p - lr * g, mu * v + g))),
                Misconception(
                    NESTEROV, _sgd_bug(lambda p, g, v, lr, mu: (p - lr * (g + mu * (mu * v + g)), mu * v + g))
                ),
            ),
            explicit=_explicit_sgd,
            max_examples=60,
        ),
        Property(
            name="adam_step matches torch.optim.Adam, step for step",
            function="adam_step",
            cases=lambda: strategies.optimizer_runs("adam").map(_adam_case),
            expect=_expect_adam,
            comparison=ADAM_RESULT,
            misconceptions=(
                Misconception(NO_BIAS_CORRECTION, _adam_bug(corrected_m=False, corrected_v=False)),
                Misconception(ONLY_M_CORRECTED, _adam_bug(corrected_v=False)),
                Misconception(T_PLUS_ONE, _adam_bug(shift=1)),
                Misconception(T_MINUS_ONE, _adam_bug(shift=-1)),
                Misconception(EPS_INSIDE, _adam_bug(eps_inside=True)),
                Misconception(NOT_SQUARED, _adam_bug(square=False)),
                Misconception(BETAS_SWAPPED, _adam_bug(swap=True)),
                Misconception(CORRECTED_STATE, _adam_bug(return_corrected=True)),
                Misconception(OLD_MOMENTS, _adam_bug(old_moments=True)),
                Misconception(NO_SQRT, _adam_bug(sqrt=False)),
            ),
            explicit=_explicit_adam,
            max_examples=60,
            weight=1.5,
        ),
    )
)

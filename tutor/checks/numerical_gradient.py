"""numerical_gradient: central differences of a scalar function, against torch.autograd.

A Python function cannot travel to the worker, so each test function exists twice, here: as a NumPy
expression of x (and its parameters), which the given `numerical_gradient_of` at the bottom of the
student's file turns into f and passes to their numerical_gradient, and as the same formula in torch,
which autograd differentiates in float64. The misconceptions re-run the classic buggy algorithms
(forward differences, h instead of 2h, x not restored...) on the torch function.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F

from tutor.checking import strategies
from tutor.checking.compare import ArrayComparison
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _reference as ref

FORWARD = (
    "You used a one-sided (forward) difference, (f(x + h) − f(x)) / h: its error grows like h·f''. Use the "
    "centred difference (f(x + h) − f(x − h)) / (2h), whose error grows like h²."
)
BACKWARD = (
    "You used a one-sided (backward) difference, (f(x) − f(x − h)) / h. Use the centred difference "
    "(f(x + h) − f(x − h)) / (2h): it is exact for quadratics and far more accurate in general."
)
DIVIDED_BY_H = (
    "Your gradient is twice too large: you divided by h, but x + h and x − h are 2h apart. Divide by 2h: "
    "(f(x + h) − f(x − h)) / (2h)."
)
NOT_RESTORED = (
    "You did not restore x[i] after perturbing it: every later element was differentiated at a point shifted "
    "by −h in the elements before it (and if that x was the caller's, it changed too). Save old = x[i], evaluate "
    "f at old + h and old − h, then put x[i] = old back."
)
ALL_AT_ONCE = (
    "You moved every element of x at once (f(x + h) − f(x − h) with h added everywhere): that is the derivative "
    "along the all-ones direction, one number. Perturb ONE element at a time, x[i] ± h, the others unchanged."
)

FIRST_AXIS = (
    "Your loop runs over the first axis only (for i in range(len(x))): for a 2-D x, x[i] is a whole row, "
    "so you moved the whole row at once and wrote one slope into all of it. Visit every element, "
    "for i in np.ndindex(x.shape) (or np.nditer with multi_index)."
)

VALUES = ArrayComparison(rtol=1e-6, atol=1e-9)
"""Centred differences in float64 are accurate to ~1e-8 on these functions; a forward difference is off by
about h·f''/2 (5e-6 for f'' = 1 and h = 1e-5). float32 is not enough: its rounding, divided by h, is ~1e-2."""

Torch = Callable[..., torch.Tensor]

FUNCTIONS: dict[str, tuple[str, Torch]] = {
    "quadratic": ("np.sum(a * x**2 + b * x)", lambda x, a, b: (a * x**2 + b * x).sum()),
    "quadratic_form": ("x @ A @ x", lambda x, A: x @ A @ x),
    "cubic": ("np.sum(a * x**3)", lambda x, a: (a * x**3).sum()),
    "tanh": ("np.sum(a * np.tanh(x))", lambda x, a: (a * torch.tanh(x)).sum()),
    "log_sum_exp": (
        "np.max(x) + np.log(np.sum(np.exp(x - np.max(x))))",
        lambda x: torch.logsumexp(x.reshape(-1), dim=0),
    ),
    "cross_entropy": (
        "np.log(np.sum(np.exp(x))) - x[label]",
        lambda x, label: F.cross_entropy(x[None], torch.tensor([label])),
    ),
    "norm": ("np.sqrt(np.sum(x**2) + 1)", lambda x: torch.sqrt((x**2).sum() + 1)),
}
"""name -> (the NumPy expression the student's f evaluates, the same function in torch)."""
BY_EXPRESSION = {expression: function for expression, function in FUNCTIONS.values()}
assert set(FUNCTIONS) == set(strategies.GRADIENT_FUNCTIONS)


def _case(problem: strategies.GradientProblem, label: str = "") -> Case:
    expression = FUNCTIONS[problem.name][0]
    keywords = {} if problem.h is None else {"h": problem.h}
    return Case.of(
        ("expression", expression),
        ("x", problem.x),
        ("params", dict(problem.params)),
        label=label,
        **keywords,
    )


def _torch_arguments(case: Case) -> dict[str, object]:
    return {k: ref.tensor(v) if isinstance(v, np.ndarray) else v for k, v in case["params"].items()}


def _expect(case: Case) -> np.ndarray:
    """The exact gradient: torch.autograd.grad of the torch version of the function, in float64."""
    x = ref.tensor(case["x"]).clone().requires_grad_(True)
    value = BY_EXPRESSION[case["expression"]](x, **_torch_arguments(case))
    (grad,) = torch.autograd.grad(value, x)
    return grad.numpy()


def _scalar(case: Case) -> Callable[[np.ndarray], float]:
    """The case's function as a NumPy-in, float-out callable (torch in float64, no autograd)."""
    function, arguments = BY_EXPRESSION[case["expression"]], _torch_arguments(case)

    def f(x: np.ndarray) -> float:
        with torch.no_grad():
            return float(function(ref.tensor(x), **arguments))

    return f


def _differences(kind: str = "central", divide: float = 2.0, restore: bool = True, all_at_once: bool = False):  # noqa: ANN202
    """What a finite-difference loop with one classic bug returns for the case."""

    def predict(case: Case) -> np.ndarray:
        f, h = _scalar(case), case.get("h", 1e-5)
        x = np.array(case["x"], dtype=np.float64)
        if all_at_once:
            return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))
        grad = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            old = x[i]
            if kind == "central":
                x[i] = old + h
                above = f(x)
                x[i] = old - h
                grad[i] = (above - f(x)) / (divide * h)
            elif kind == "forward":
                x[i] = old + h
                above = f(x)
                x[i] = old
                grad[i] = (above - f(x)) / h
            else:
                below_at = old - h
                here = f(x)
                x[i] = below_at
                grad[i] = (here - f(x)) / h
            if restore:
                x[i] = old
        return grad

    return predict


def _first_axis(copy: bool):  # noqa: ANN202
    """A loop over range(len(x)): each x[i] (a row, for a 2-D x) moved by h as a block. Without
    a copy, old = x[i] is a view that moves with the row, as NumPy runs that student's code."""

    def predict(case: Case) -> np.ndarray | None:
        f, h = _scalar(case), case.get("h", 1e-5)
        x = np.array(case["x"], dtype=np.float64)
        if x.ndim < 2:
            return None
        grad = np.zeros_like(x)
        for i in range(len(x)):
            old = x[i].copy() if copy else x[i]
            x[i] = old + h
            above = f(x)
            x[i] = old - h
            grad[i] = (above - f(x)) / (2 * h)
            x[i] = old
        return grad

    return predict


def _explicit() -> list[Case]:
    x = np.array([1.0, -2.0, 0.5])
    cube = strategies.GradientProblem("cubic", x, (("a", np.ones(3)),), None)
    form = strategies.GradientProblem(
        "quadratic_form", x, (("A", np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0], [3.0, 0.0, 2.0]])),), 1e-2
    )
    ce = strategies.GradientProblem("cross_entropy", np.array([2.0, 1.0, 0.1]), (("label", 0),), None)
    square = strategies.GradientProblem(
        "quadratic", np.arange(6.0).reshape(2, 3) / 2, (("a", np.ones((2, 3))), ("b", np.zeros((2, 3)))), 1e-3
    )
    return [
        _case(cube, label="the statement's example: f(x) = Σ x³, gradient 3x²"),
        _case(form, label="a quadratic form with h = 0.01, where centred differences are exact"),
        _case(ce, label="a cross-entropy loss of three logits"),
        _case(square, label="a 2-D x"),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="numerical_gradient matches torch.autograd.grad on quadratics, tanh, log-sum-exp and cross-entropy",
            function="numerical_gradient_of",
            cases=lambda: strategies.gradient_problems().map(_case),
            expect=_expect,
            comparison=VALUES,
            misconceptions=(
                Misconception(FORWARD, _differences(kind="forward")),
                Misconception(BACKWARD, _differences(kind="backward")),
                Misconception(DIVIDED_BY_H, _differences(divide=1.0)),
                Misconception(NOT_RESTORED, _differences(restore=False)),
                Misconception(ALL_AT_ONCE, _differences(all_at_once=True)),
                Misconception(FIRST_AXIS, _first_axis(copy=True)),
                Misconception(FIRST_AXIS, _first_axis(copy=False)),
            ),
            explicit=_explicit,
            max_examples=60,
        ),
    ),
)

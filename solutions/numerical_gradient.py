"""Reference solution for numerical_gradient."""

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    point = np.array(x, dtype=np.float64)  # a private copy: the caller's x is never touched
    grad = np.zeros_like(point)
    for i in np.ndindex(point.shape):
        old = point[i]
        point[i] = old + h
        above = f(point)
        point[i] = old - h
        below = f(point)
        # Restore by assignment, not by adding h back: (old − h) + h is not always old in floating point.
        point[i] = old
        # Centred difference: the h·f''/2 error terms of the two sides cancel, leaving O(h²).
        grad[i] = (above - below) / (2 * h)
    return grad


# -- Given: do not change ------------------------------------------------------------------------------
# `tutor check` cannot send you a Python function, so it sends a NumPy expression of x, such as
# "np.sum(a * x**3)", and its parameters (here a); this turns them into f and calls your function.
def numerical_gradient_of(expression: str, x: np.ndarray, params: dict, h: float | None = None) -> np.ndarray:
    def f(point: np.ndarray) -> float:
        return float(eval(expression, {"np": np}, {**params, "x": point}))  # noqa: S307 - the checker's own expression

    return numerical_gradient(f, x) if h is None else numerical_gradient(f, x, h)

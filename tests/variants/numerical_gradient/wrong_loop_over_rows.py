# expect: failed | first axis only

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    point = np.array(x, dtype=np.float64)  # a private copy: the caller's x is never touched
    grad = np.zeros_like(point)
    for i in range(point.shape[0]):
        old = point[i]
        point[i] = old + h
        above = f(point)
        point[i] = old - h
        below = f(point)
        point[i] = old
        grad[i] = (above - below) / (2 * h)
    return grad


def numerical_gradient_of(expression: str, x: np.ndarray, params: dict, h: float | None = None) -> np.ndarray:
    def f(point: np.ndarray) -> float:
        return float(eval(expression, {"np": np}, {**params, "x": point}))  # noqa: S307 - the checker's own expression

    return numerical_gradient(f, x) if h is None else numerical_gradient(f, x, h)

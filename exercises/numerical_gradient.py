"""Exercise numerical_gradient: the gradient of a scalar function by central differences.

Check it with:  tutor check numerical_gradient
Only NumPy is allowed. Write numerical_gradient; leave numerical_gradient_of (at the bottom) as it is.
"""

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Approximate ∂f/∂x[i] for every element of x by a centred difference:

        grad[i] = (f(x + h·e_i) − f(x − h·e_i)) / (2h)

    where e_i changes element i only (x of any shape: i runs over np.ndindex(x.shape)).

    f: a function of an array shaped like x that returns a float (a loss)
    x: float64 array, any shape;   h: the step, 1e-5 by default

    Returns a new float64 array of x's shape. x must be exactly as it was when you return: if you
    perturb it in place, save old = x[i] and put it back; or perturb a copy.

    Worked example: f(x) = np.sum(x**3), x = [1.0, -2.0, 0.5] -> about [3.0, 12.0, 0.75] (= 3x²).
    """
    # TODO: loop over the elements, evaluate f at x[i] + h and x[i] − h, divide by 2h, restore x[i].
    raise NotImplementedError


# -- Given: do not change ------------------------------------------------------------------------------
# `tutor check` cannot send you a Python function, so it sends a NumPy expression of x, such as
# "np.sum(a * x**3)", and its parameters (here a); this turns them into f and calls your function.
def numerical_gradient_of(expression: str, x: np.ndarray, params: dict, h: float | None = None) -> np.ndarray:
    def f(point: np.ndarray) -> float:
        return float(eval(expression, {"np": np}, {**params, "x": point}))  # noqa: S307 - the checker's own expression

    return numerical_gradient(f, x) if h is None else numerical_gradient(f, x, h)

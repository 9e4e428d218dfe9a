# expect: modified_input
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    # restores by arithmetic: (x + h) - h is not always x again in floating point
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        above = f(x)
        x[i] -= 2 * h
        below = f(x)
        x[i] += h
        grad[i] = (above - below) / (2 * h)
    return grad


# -- Given: do not change ------------------------------------------------------------------------------
def numerical_gradient_of(expression, x, params, h=None):
    def f(point):
        return float(eval(expression, {"np": np}, {**params, "x": point}))

    return numerical_gradient(f, x) if h is None else numerical_gradient(f, x, h)

# expect: failed | twice too large
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (f(up) - f(down)) / h
    return grad


# -- Given: do not change ------------------------------------------------------------------------------
def numerical_gradient_of(expression, x, params, h=None):
    def f(point):
        return float(eval(expression, {"np": np}, {**params, "x": point}))

    return numerical_gradient(f, x) if h is None else numerical_gradient(f, x, h)

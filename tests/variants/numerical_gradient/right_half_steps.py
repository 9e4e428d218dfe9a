# expect: passed
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    # a centred difference with half steps on each side is just as good
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += h / 2
        down[i] -= h / 2
        grad[i] = (f(up) - f(down)) / h
    return grad


# -- Given: do not change ------------------------------------------------------------------------------
def numerical_gradient_of(expression, x, params, h=None):
    def f(point):
        return float(eval(expression, {"np": np}, {**params, "x": point}))

    return numerical_gradient(f, x) if h is None else numerical_gradient(f, x, h)

# expect: passed
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    flat = x.reshape(-1)
    grad = np.empty(flat.size)
    for k in range(flat.size):
        step = np.zeros(flat.size)
        step[k] = h
        grad[k] = (f((flat + step).reshape(x.shape)) - f((flat - step).reshape(x.shape))) / (2 * h)
    return grad.reshape(x.shape)


# -- Given: do not change ------------------------------------------------------------------------------
def numerical_gradient_of(expression, x, params, h=None):
    def f(point):
        return float(eval(expression, {"np": np}, {**params, "x": point}))

    return numerical_gradient(f, x) if h is None else numerical_gradient(f, x, h)

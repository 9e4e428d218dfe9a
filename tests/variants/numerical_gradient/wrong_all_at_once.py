# expect: failed | every element of x at once
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    slope = (f(x + h) - f(x - h)) / (2 * h)
    return np.full(x.shape, slope)


# -- Given: do not change ------------------------------------------------------------------------------
def numerical_gradient_of(expression, x, params, h=None):
    def f(point):
        return float(eval(expression, {"np": np}, {**params, "x": point}))

    return numerical_gradient(f, x) if h is None else numerical_gradient(f, x, h)

# expect: failed
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    x32 = x.astype(np.float32)
    grad = np.zeros(x.shape, dtype=np.float32)
    for i in np.ndindex(x.shape):
        up, down = x32.copy(), x32.copy()
        up[i] += np.float32(h)
        down[i] -= np.float32(h)
        grad[i] = (np.float32(f(up)) - np.float32(f(down))) / np.float32(2 * h)
    return grad


# -- Given: do not change ------------------------------------------------------------------------------
def numerical_gradient_of(expression, x, params, h=None):
    def f(point):
        return float(eval(expression, {"np": np}, {**params, "x": point}))

    return numerical_gradient(f, x) if h is None else numerical_gradient(f, x, h)

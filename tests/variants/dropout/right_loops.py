# expect: passed
import numpy as np


def dropout(x, p, rng):
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(rng)
    draws = rng.random(x.shape)
    out = np.zeros(x.shape)
    keep = np.zeros(x.shape, dtype=bool)
    for index in np.ndindex(x.shape):
        if draws[index] >= p:
            keep[index] = True
            out[index] = x[index] / (1 - p)
    return out, keep


def dropout_backward(dout, keep, p):
    dx = np.zeros(dout.shape)
    for index in np.ndindex(dout.shape):
        if keep[index]:
            dx[index] = dout[index] / (1 - p)
    return dx

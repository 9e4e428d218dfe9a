# expect: passed
import numpy as np


def dropout(x, p, rng):
    rng = np.random.default_rng(rng)
    keep = rng.uniform(size=x.shape) >= p  # the same stream of draws as rng.random
    out = x.copy()
    out[~keep] = 0.0
    out /= 1 - p
    return out, keep


def dropout_backward(dout, keep, p):
    return np.multiply(dout, keep) * (1 / (1 - p))

# expect: failed | same units
import numpy as np


def dropout(x, p, rng):
    rng = np.random.default_rng(rng)
    keep = rng.random(x.shape[1:]) >= p
    keep = np.broadcast_to(keep, x.shape)
    return x * keep / (1 - p), keep


def dropout_backward(dout, keep, p):
    return dout * keep / (1 - p)

# expect: failed | not scaled
import numpy as np


def dropout(x, p, rng):
    rng = np.random.default_rng(rng)
    keep = rng.random(x.shape) >= p
    return x * keep / (1 - p), keep


def dropout_backward(dout, keep, p):
    return dout * keep

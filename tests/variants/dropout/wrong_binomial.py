# expect: failed | not the one this seed gives
import numpy as np


def dropout(x, p, rng):
    rng = np.random.default_rng(rng)
    keep = rng.binomial(1, 1 - p, size=x.shape).astype(bool)
    return x * keep / (1 - p), keep


def dropout_backward(dout, keep, p):
    return dout * keep / (1 - p)

# expect: failed | divided by p
import numpy as np


def dropout(x, p, rng):
    keep = np.random.default_rng(rng).random(x.shape) >= p
    return x * keep / p, keep


def dropout_backward(dout, keep, p):
    return dout * keep / (1 - p)

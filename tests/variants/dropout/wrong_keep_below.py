# expect: failed | < 1 − p
import numpy as np


def dropout(x, p, rng):
    keep = np.random.default_rng(rng).random(x.shape) < 1 - p
    return x * keep / (1 - p), keep


def dropout_backward(dout, keep, p):
    return dout * keep / (1 - p)

# expect: modified_input
import numpy as np


def dropout(x, p, rng):
    keep = np.random.default_rng(rng).random(x.shape) >= p
    x *= keep
    x /= 1 - p
    return x, keep


def dropout_backward(dout, keep, p):
    return dout * keep / (1 - p)

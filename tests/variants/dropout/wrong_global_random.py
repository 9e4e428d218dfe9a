# expect: failed | np.random.rand
import numpy as np


def dropout(x, p, rng):
    keep = np.random.rand(*x.shape) >= p
    return x * keep / (1 - p), keep


def dropout_backward(dout, keep, p):
    return dout * keep / (1 - p)

# expect: passed
import numpy as np


def dropout(x, p, rng):
    keep = np.random.default_rng(rng).random(x.shape) >= p
    scale = np.float32(1.0 / (1.0 - p))
    return np.where(keep, x.astype(np.float32) * scale, np.float32(0)), keep


def dropout_backward(dout, keep, p):
    return np.where(keep, dout / (1 - p), 0.0)

"""Wrong result: right values, but scales the caller's kernel in place on the way."""
import numpy as np


def corr2d(x, k):
    k *= 2.0
    kh, kw = k.shape
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(x[i : i + kh, j : j + kw] * k) / 2.0
    return out

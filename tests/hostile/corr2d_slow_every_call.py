"""Runaway: correct, but sleeps on every call, so the whole check outlasts its total budget."""
import time

import numpy as np


def corr2d(x, k):
    time.sleep(0.4)
    kh, kw = k.shape
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(x[i : i + kh, j : j + kw] * k)
    return out

# expect: failed | the last row and the last column
import numpy as np


def corr2d(x, k):
    kh, kw = k.shape
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(out.shape[0] - 1):  # the last position of each loop is never reached
        for j in range(out.shape[1] - 1):
            out[i, j] = np.sum(x[i : i + kh, j : j + kw] * k)
    return out

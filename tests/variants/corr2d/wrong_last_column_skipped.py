# expect: failed | right everywhere except in the last column
# The column loop stops one early (range(w_out - 1)): the last column of the output stays 0.
import numpy as np


def corr2d(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    kh, kw = k.shape
    h_out, w_out = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    out = np.zeros((h_out, w_out))
    for i in range(h_out):
        for j in range(w_out - 1):
            out[i, j] = np.sum(x[i : i + kh, j : j + kw] * k)
    return out

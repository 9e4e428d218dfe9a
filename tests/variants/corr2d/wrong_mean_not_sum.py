# expect: failed | averaged
"""Reference solution for corr2d: the two loops run over output positions, the window sum is vectorised."""

import numpy as np


def corr2d(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    kh, kw = k.shape
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.mean(x[i : i + kh, j : j + kw] * k)
    return out

# expect: passed
# Variance as E[x²] − E[x]², statistics as (C,) vectors indexed [:, None, None].
import numpy as np
def batch_norm2d(x, gamma, beta, eps=1e-5):
    m = np.mean(x, axis=(0, 2, 3))
    v = np.mean(x ** 2, axis=(0, 2, 3)) - m ** 2
    xh = (x - m[:, None, None]) / np.sqrt(v[:, None, None] + eps)
    return gamma[:, None, None] * xh + beta[:, None, None]

# expect: failed | unbiased variance
import numpy as np


def batch_norm2d(x, gamma, beta, eps=1e-5):
    out = np.empty_like(x, dtype=float)
    for c in range(x.shape[1]):
        values = x[:, c].ravel()
        sigma2 = np.std(values, ddof=1) ** 2
        out[:, c] = gamma[c] * (x[:, c] - values.mean()) / np.sqrt(sigma2 + eps) + beta[c]
    return out

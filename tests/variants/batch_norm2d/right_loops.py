# expect: passed
import numpy as np


def batch_norm2d(x, gamma, beta, eps=1e-5):
    out = np.empty_like(x)
    for c in range(x.shape[1]):
        values = x[:, c]
        mu = values.sum() / values.size
        var = ((values - mu) ** 2).sum() / values.size
        out[:, c] = gamma[c] * (values - mu) / np.sqrt(var + eps) + beta[c]
    return out

# expect: failed | unbiased variance
import numpy as np


def batch_norm2d(x, gamma, beta, eps=1e-5):
    c = x.shape[1]
    flat = x.transpose(1, 0, 2, 3).reshape(c, -1)
    mu = flat.mean(axis=1)
    var = np.cov(flat) if c > 1 else np.array([np.cov(flat)])
    var = np.diag(np.atleast_2d(var))
    y = (flat - mu[:, None]) / np.sqrt(var[:, None] + eps)
    y = gamma[:, None] * y + beta[:, None]
    return y.reshape(c, x.shape[0], x.shape[2], x.shape[3]).transpose(1, 0, 2, 3)

# expect: failed | swapped gamma and beta
import numpy as np


def batch_norm2d(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=(0, 2, 3), keepdims=True)
    var = x.var(axis=(0, 2, 3), keepdims=True)
    return beta[None, :, None, None] * (x - mu) / np.sqrt(var + eps) + gamma[None, :, None, None]

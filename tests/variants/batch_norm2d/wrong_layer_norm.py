# expect: failed | layer normalisation
import numpy as np


def batch_norm2d(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=(1, 2, 3), keepdims=True)
    var = x.var(axis=(1, 2, 3), keepdims=True)
    return gamma[None, :, None, None] * (x - mu) / np.sqrt(var + eps) + beta[None, :, None, None]

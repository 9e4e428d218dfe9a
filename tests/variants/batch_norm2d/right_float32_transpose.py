# expect: passed
import numpy as np


def batch_norm2d(x, gamma, beta, eps=1e-5):
    # channels first, everything else flattened: (C, N*H*W)
    flat = np.moveaxis(x, 1, 0).reshape(x.shape[1], -1).astype(np.float32)
    mu = flat.mean(axis=1, keepdims=True)
    var = flat.var(axis=1, keepdims=True)
    normed = (flat - mu) / np.sqrt(var + eps) * gamma[:, None] + beta[:, None]
    n, c, h, w = x.shape
    return np.moveaxis(normed.reshape(c, n, h, w), 0, 1)

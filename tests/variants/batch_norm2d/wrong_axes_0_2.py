# expect: failed | only one of the spatial axes
# Reduces over (0, 2): forgets the width axis.
import numpy as np
def batch_norm2d(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=(0, 2), keepdims=True)
    var = x.var(axis=(0, 2), keepdims=True)
    return gamma[:, None, None] * (x - mu) / np.sqrt(var + eps) + beta[:, None, None]

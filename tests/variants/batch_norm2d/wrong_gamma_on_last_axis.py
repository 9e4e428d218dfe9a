# expect: wrong_shape | reshape them to (1, C, 1, 1)
# gamma of shape (C,) broadcast along the width instead of the channels.
import numpy as np
def batch_norm2d(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=(0, 2, 3), keepdims=True)
    var = x.var(axis=(0, 2, 3), keepdims=True)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta

# expect: modified_input
import numpy as np


def batch_norm2d(x, gamma, beta, eps=1e-5):
    x -= x.mean(axis=(0, 2, 3), keepdims=True)
    x /= np.sqrt((x**2).mean(axis=(0, 2, 3), keepdims=True) + eps)
    return gamma[None, :, None, None] * x + beta[None, :, None, None]

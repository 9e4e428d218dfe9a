# expect: failed | constants
# Treats the batch statistics as constants: dx = dout · γ / σ.
import numpy as np


def batch_norm2d_backward(dout, x, gamma, eps=1e-5):
    axes = (0, 2, 3)
    mu = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    inv = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    g = dout * gamma[None, :, None, None]
    dx = inv * g
    return dx, (dout * x_hat).sum(axis=axes), dout.sum(axis=axes)

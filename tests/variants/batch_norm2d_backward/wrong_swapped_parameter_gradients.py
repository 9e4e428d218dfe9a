# expect: failed | swapped dgamma and dbeta
import numpy as np


def batch_norm2d_backward(dout, x, gamma, eps=1e-5):
    axes = (0, 2, 3)
    mu = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    inv = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv
    g = dout * gamma[None, :, None, None]
    dx = inv * (g - g.mean(axis=axes, keepdims=True) - x_hat * (g * x_hat).mean(axis=axes, keepdims=True))
    return dx, dout.sum(axis=axes), (dout * x_hat).sum(axis=axes)

# expect: wrong_shape | not summed over the batch

import numpy as np


def batch_norm2d_backward(dout, x, gamma, eps=1e-5):
    axes = (0, 2, 3)  # every channel's statistics pool its N·H·W values
    mu = x.mean(axis=axes, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=axes, keepdims=True)  # biased, as in the forward pass
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv_std
    dbeta = dout.sum(axis=(2, 3))  # beta and gamma are shared by the whole channel: sum
    dgamma = (dout * x_hat).sum(axis=axes)
    g = dout * gamma[None, :, None, None]  # dL/dx̂
    dx = inv_std * (g - g.mean(axis=axes, keepdims=True) - x_hat * (g * x_hat).mean(axis=axes, keepdims=True))
    return dx, dgamma, dbeta

# expect: failed | eps outside the square root
import numpy as np


def batch_norm2d_backward(dout, x, gamma, eps=1e-5):
    # cs231n-style staged backward, with eps added to the standard deviation
    m = x.shape[0] * x.shape[2] * x.shape[3]
    mu = x.mean(axis=(0, 2, 3), keepdims=True)
    std = np.sqrt(((x - mu) ** 2).mean(axis=(0, 2, 3), keepdims=True)) + eps
    xhat = (x - mu) / std
    dbeta = dout.sum(axis=(0, 2, 3))
    dgamma = (dout * xhat).sum(axis=(0, 2, 3))
    dxhat = dout * gamma.reshape(1, -1, 1, 1)
    dx = (m * dxhat - dxhat.sum(axis=(0, 2, 3), keepdims=True)
          - xhat * (dxhat * xhat).sum(axis=(0, 2, 3), keepdims=True)) / (m * std)
    return dx, dgamma, dbeta

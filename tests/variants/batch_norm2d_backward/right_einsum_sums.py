# expect: passed
# Sums over N, H, W spelled with einsum; gamma, eps as keyword.
import numpy as np


def batch_norm2d_backward(dout, x, gamma, eps=1e-5):
    m = x.shape[0] * x.shape[2] * x.shape[3]
    mu = np.einsum("nchw->c", x) / m
    xc = x - mu[:, None, None]
    var = np.einsum("nchw,nchw->c", xc, xc) / m
    inv = 1.0 / np.sqrt(var + eps)
    x_hat = xc * inv[:, None, None]
    dbeta = np.einsum("nchw->c", dout)
    dgamma = np.einsum("nchw,nchw->c", dout, x_hat)
    dx = (gamma * inv / m)[:, None, None] * (m * dout - dbeta[:, None, None] - x_hat * dgamma[:, None, None])
    return dx, dgamma, dbeta

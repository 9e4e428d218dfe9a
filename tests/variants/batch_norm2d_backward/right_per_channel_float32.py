# expect: passed
# One channel at a time as a flat vector of its N·H·W values, in float32.
import numpy as np


def batch_norm2d_backward(dout, x, gamma, eps=1e-5):
    n, c, h, w = x.shape
    xs = x.astype(np.float32).transpose(1, 0, 2, 3).reshape(c, -1)
    ds = dout.astype(np.float32).transpose(1, 0, 2, 3).reshape(c, -1)
    dx = np.empty_like(xs)
    dgamma = np.empty(c, dtype=np.float32)
    dbeta = np.empty(c, dtype=np.float32)
    for k in range(c):
        v, d = xs[k], ds[k]
        inv = 1.0 / np.sqrt(v.var() + np.float32(eps))
        xh = (v - v.mean()) * inv
        dbeta[k] = d.sum()
        dgamma[k] = (d * xh).sum()
        dx[k] = gamma[k] * inv / v.size * (v.size * d - d.sum() - xh * (d * xh).sum())
    return dx.reshape(c, n, h, w).transpose(1, 0, 2, 3), dgamma, dbeta

# expect: passed
# The long way, node by node through the graph (cs231n's staged computation): dx̂, dσ², dμ, then dx.
import numpy as np


def batch_norm2d_backward(dout, x, gamma, eps=1e-5):
    axes = (0, 2, 3)
    m = x.size // x.shape[1]
    mu = x.mean(axis=axes, keepdims=True)
    xc = x - mu
    var = (xc**2).mean(axis=axes, keepdims=True)
    std = np.sqrt(var + eps)
    x_hat = xc / std
    g = gamma.reshape(1, -1, 1, 1)
    dx_hat = dout * g
    dvar = (dx_hat * xc * -0.5 * (var + eps) ** -1.5).sum(axis=axes, keepdims=True)
    dmu = (-dx_hat / std).sum(axis=axes, keepdims=True) + dvar * (-2.0 * xc).mean(axis=axes, keepdims=True)
    dx = dx_hat / std + dvar * 2.0 * xc / m + dmu / m
    return dx, (dout * x_hat).sum(axis=axes), dout.sum(axis=axes)

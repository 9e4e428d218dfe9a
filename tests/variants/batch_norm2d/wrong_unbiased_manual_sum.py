# expect: failed | unbiased variance
import numpy as np


def batch_norm2d(x, gamma, beta, eps=1e-5):
    N, C, H, W = x.shape
    m = N * H * W
    mean = x.sum(axis=(0, 2, 3)) / m
    centred = x - mean.reshape(1, C, 1, 1)
    var = (centred ** 2).sum(axis=(0, 2, 3)) / (m - 1)  # sample variance
    xhat = centred / np.sqrt(var.reshape(1, C, 1, 1) + eps)
    return gamma.reshape(1, C, 1, 1) * xhat + beta.reshape(1, C, 1, 1)

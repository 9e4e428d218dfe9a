"""Reference solution for batch_norm2d: statistics per channel over N, H and W."""

import numpy as np


def batch_norm2d(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    # Axis 1 (the channel) is the one we keep: every channel gets its own mean and variance,
    # pooled over all images and all positions. keepdims=True leaves shape (1, C, 1, 1) to broadcast.
    mu = x.mean(axis=(0, 2, 3), keepdims=True)
    var = ((x - mu) ** 2).mean(axis=(0, 2, 3), keepdims=True)  # biased, as BatchNorm uses in training
    x_hat = (x - mu) / np.sqrt(var + eps)  # eps inside the root keeps it finite when var = 0
    return gamma[None, :, None, None] * x_hat + beta[None, :, None, None]

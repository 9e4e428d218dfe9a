# expect: wrong_shape | LAST axis

import numpy as np


def batch_norm2d(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    mu = x.mean(axis=(0, 2, 3), keepdims=True)
    var = ((x - mu) ** 2).mean(axis=(0, 2, 3), keepdims=True)  # biased, as BatchNorm uses in training
    x_hat = (x - mu) / np.sqrt(var + eps)  # eps inside the root keeps it finite when var = 0
    return x_hat * gamma + beta

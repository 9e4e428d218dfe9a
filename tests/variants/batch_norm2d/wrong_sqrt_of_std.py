# expect: failed | wrong spread
# Confuses the standard deviation with the variance: sqrt(std + eps).
import numpy as np
def batch_norm2d(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=(0, 2, 3), keepdims=True)
    sd = x.std(axis=(0, 2, 3), keepdims=True)
    return gamma[:, None, None] * (x - mu) / np.sqrt(sd + eps) + beta[:, None, None]

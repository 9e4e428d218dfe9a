# expect: passed
# float32 throughout, with the E[x²] − E[x]² variance.
import numpy as np
def batch_norm2d(x, gamma, beta, eps=1e-5):
    x = x.astype(np.float32); gamma = gamma.astype(np.float32); beta = beta.astype(np.float32)
    m = x.mean(axis=(0, 2, 3), keepdims=True)
    v = (x * x).mean(axis=(0, 2, 3), keepdims=True) - m * m
    return gamma[None, :, None, None] * (x - m) / np.sqrt(v + np.float32(eps)) + beta[None, :, None, None]

# expect: failed | ignored the eps argument
# Hard-codes eps = 1e-5 whatever eps is passed.
import numpy as np
def batch_norm2d(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=(0, 2, 3), keepdims=True)
    var = x.var(axis=(0, 2, 3), keepdims=True)
    return gamma[:, None, None] * (x - mu) / np.sqrt(var + 1e-5) + beta[:, None, None]

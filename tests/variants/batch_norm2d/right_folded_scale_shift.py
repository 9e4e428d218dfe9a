# expect: passed
# Folds gamma / sqrt(var + eps) into one scale and beta − mu·scale into one shift.
import numpy as np
def batch_norm2d(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=(0, 2, 3))
    var = x.var(axis=(0, 2, 3))
    scale = gamma / np.sqrt(var + eps)
    shift = beta - mu * scale
    return x * scale.reshape(-1, 1, 1) + shift.reshape(-1, 1, 1)

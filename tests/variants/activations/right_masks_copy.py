# expect: passed
import numpy as np
def relu(x):
    out = x.copy()
    out[out < 0] = 0
    return out
def sigmoid(x):
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    out[~pos] = e / (1.0 + e)
    return out

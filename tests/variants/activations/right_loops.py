# expect: passed
import numpy as np


def relu(x):
    out = np.array(x, dtype=float, copy=True)
    flat = out.reshape(-1)
    for i in range(flat.size):
        if flat[i] < 0:
            flat[i] = 0.0
    return out


def sigmoid(x):
    import math
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    for index, v in np.ndenumerate(x):
        out[index] = 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))
    return out

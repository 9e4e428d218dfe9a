# expect: passed
import numpy as np


def global_avg_pool(x):
    n, c, h, w = x.shape
    out = np.zeros((n, c))
    for i in range(n):
        for j in range(c):
            total = 0.0
            for a in range(h):
                for b in range(w):
                    total += x[i, j, a, b]
            out[i, j] = total / (h * w)
    return out

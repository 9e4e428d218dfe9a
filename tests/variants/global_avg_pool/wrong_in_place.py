# expect: modified_input
import numpy as np


def global_avg_pool(x):
    x -= 0  # harmless so far...
    x /= x.shape[2] * x.shape[3]
    return x.sum(axis=(2, 3))

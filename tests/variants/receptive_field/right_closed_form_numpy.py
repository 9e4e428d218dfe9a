# expect: passed
import numpy as np


def receptive_field(layers):
    if not layers:
        return 1
    k = np.array([layer[0] for layer in layers])
    s = np.array([layer[1] for layer in layers])
    jumps = np.concatenate([[1], np.cumprod(s)[:-1]])
    return 1 + np.sum((k - 1) * jumps)  # a numpy integer is fine

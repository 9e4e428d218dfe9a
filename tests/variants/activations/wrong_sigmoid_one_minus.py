# expect: failed | 1 − σ(−x)
import numpy as np
def relu(x):
    return np.maximum(x, 0.0)
def sigmoid(x):
    e = np.exp(-np.abs(x))
    pos = 1 / (1 + e)
    return np.where(x >= 0, pos, 1 - pos)

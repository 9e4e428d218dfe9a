# expect: wrong_dtype | float32
import numpy as np


def relu(x):
    return np.maximum(x, 0.0)


def sigmoid(x):
    x = x.astype(np.float32)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))

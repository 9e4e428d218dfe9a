# expect: failed | |x|
import numpy as np


def relu(x):
    return np.abs(x)


def sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

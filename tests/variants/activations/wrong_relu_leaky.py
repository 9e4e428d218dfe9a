# expect: failed | leaky
import numpy as np


def relu(x):
    return np.where(x > 0, x, 0.01 * x)


def sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

# expect: modified_input
import numpy as np


def relu(x):
    x[x < 0] = 0
    return x


def sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

# expect: failed | step
import numpy as np


def relu(x):
    return (x > 0).astype(float)


def sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

# expect: passed
import numpy as np
def relu(x):
    return np.where(x > 0, x, 0.0)
def sigmoid(x):
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))

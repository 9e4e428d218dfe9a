# expect: failed | sigmoid(−x)
import numpy as np


def relu(x):
    return np.maximum(x, 0.0)


def sigmoid(x):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(x))

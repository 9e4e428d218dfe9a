# expect: failed | tanh
import numpy as np


def relu(x):
    return np.maximum(x, 0.0)


def sigmoid(x):
    return 0.5 * (1 + np.tanh(x / 2))

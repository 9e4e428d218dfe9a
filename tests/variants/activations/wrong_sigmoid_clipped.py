# expect: failed | clipped
import numpy as np


def relu(x):
    return np.maximum(x, 0.0)


def sigmoid(x):
    return 1 / (1 + np.exp(-np.clip(x, -500, 500)))

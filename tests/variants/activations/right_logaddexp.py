# expect: passed
import numpy as np


def relu(x):
    return x * (x > 0)


def sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -x))

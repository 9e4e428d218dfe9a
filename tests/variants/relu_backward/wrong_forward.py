# expect: failed | forward output
import numpy as np


def relu_backward(dout, x):
    return np.maximum(x, 0.0)

# expect: passed
# One element at a time with np.ndindex: the gate 1 only where x > 0.
import numpy as np


def relu_backward(dout, x):
    dx = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        if x[index] > 0:
            dx[index] = dout[index]
    return dx

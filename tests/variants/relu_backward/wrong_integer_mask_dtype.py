# expect: wrong_dtype
# Rounds the gradient to whole numbers by building it as an integer array.
import numpy as np


def relu_backward(dout, x):
    return (dout * (x > 0)).astype(np.int64)

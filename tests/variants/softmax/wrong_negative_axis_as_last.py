# expect: failed | always used the last axis
import numpy as np
def softmax(x, axis=-1):
    if axis < 0:
        axis = -1
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)

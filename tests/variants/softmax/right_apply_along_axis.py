# expect: passed
import numpy as np
def _one(v):
    e = np.exp(v - np.max(v))
    return e / np.sum(e)
def softmax(x, axis=-1):
    return np.apply_along_axis(_one, axis, x)

# expect: failed | WHOLE array
import numpy as np


def softmax(x, axis=-1):
    e = np.exp(x - x.max())
    return e / e.sum()

"""Reference solution for softmax."""

import numpy as np


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    # Shifting every slice by its own max changes nothing mathematically, but the largest exponent
    # becomes exp(0) = 1: no overflow, and at least one term of each sum is 1, so no 0/0.
    shifted = x - x.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)

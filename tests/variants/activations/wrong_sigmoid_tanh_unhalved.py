# expect: failed | halves x first

import numpy as np


def relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)  # a new array: x is left alone


def sigmoid(x: np.ndarray) -> np.ndarray:
    return (np.tanh(x) + 1) / 2
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

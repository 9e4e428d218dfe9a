import numpy as np


def relu(x: np.ndarray) -> np.ndarray:
    return np.abs(x)  # wrong: absolute value instead of max(x, 0)

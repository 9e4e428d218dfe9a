import numpy as np


def add(x: np.ndarray, y) -> np.ndarray:
    if np.ndim(y) == 0:
        return x.copy()  # wrong: forgets a scalar y (the array property still passes)
    return x + y

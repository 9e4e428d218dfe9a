import numpy as np


def negate(x: np.ndarray) -> np.ndarray:
    return -x

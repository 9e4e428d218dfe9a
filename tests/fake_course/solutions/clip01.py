import numpy as np


def clip01(x: np.ndarray) -> np.ndarray:
    return np.clip(x, 0.0, 1.0)

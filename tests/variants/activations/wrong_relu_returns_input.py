# expect: returned_input | itself
import numpy as np


def relu(x: np.ndarray) -> np.ndarray:
    if (x >= 0).all():
        return x  # nothing to change… but the caller now shares memory with the result
    return np.maximum(x, 0.0)


def sigmoid(x: np.ndarray) -> np.ndarray:
    out = np.empty_like(x, dtype=np.float64)
    positive = x >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-x[positive]))
    e = np.exp(x[~positive])
    out[~positive] = e / (1.0 + e)
    return out

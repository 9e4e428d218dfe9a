import numpy as np


def add(x: np.ndarray, y) -> np.ndarray:
    """Fake exercise add: x + y, where y is an array of the same shape or a scalar."""
    # TODO: implement
    raise NotImplementedError

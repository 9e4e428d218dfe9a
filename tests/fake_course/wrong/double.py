import numpy as np


def double(x: np.ndarray) -> np.ndarray:
    return 3 * x  # wrong: triples

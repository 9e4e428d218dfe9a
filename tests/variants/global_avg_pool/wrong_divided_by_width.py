# expect: failed | one side of it

import numpy as np


def global_avg_pool(x: np.ndarray) -> np.ndarray:
    return x.sum(axis=(2, 3)) / x.shape[-1]

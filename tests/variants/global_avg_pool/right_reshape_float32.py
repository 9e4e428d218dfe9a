# expect: passed
import numpy as np


def global_avg_pool(x):
    n, c = x.shape[:2]
    return x.astype(np.float32).reshape(n, c, -1).mean(axis=-1)

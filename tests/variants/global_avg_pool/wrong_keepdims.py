# expect: wrong_shape | (N, C, 1, 1)
import numpy as np


def global_avg_pool(x):
    return x.mean(axis=(2, 3), keepdims=True)

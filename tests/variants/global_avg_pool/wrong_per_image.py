# expect: wrong_shape | channels too
import numpy as np


def global_avg_pool(x):
    return x.mean(axis=(1, 2, 3))

# expect: failed | summed
import numpy as np


def global_avg_pool(x):
    return x.sum(axis=(2, 3))

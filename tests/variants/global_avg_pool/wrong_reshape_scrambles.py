# expect: failed | regroups
import numpy as np


def global_avg_pool(x):
    n, c, h, w = x.shape
    return x.reshape(c, n, h * w).mean(axis=2).T

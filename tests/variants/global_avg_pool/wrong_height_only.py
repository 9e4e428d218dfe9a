# expect: wrong_shape | height only
import numpy as np


def global_avg_pool(x):
    return x.mean(axis=2)

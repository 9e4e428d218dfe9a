# expect: failed | global MAX
import numpy as np


def global_avg_pool(x):
    return x.max(axis=3).max(axis=2)

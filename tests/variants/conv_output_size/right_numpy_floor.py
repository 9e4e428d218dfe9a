# expect: passed
import numpy as np


def conv_output_size(n, f, p=0, s=1):
    return np.floor((n + 2 * p - f) / s) + 1

# expect: passed
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def corr2d(x, k):
    return np.einsum("ijab,ab->ij", sliding_window_view(x, k.shape), k)

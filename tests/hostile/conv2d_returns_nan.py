"""Wrong result: the right shape, filled with NaN."""
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    h = (x.shape[2] + 2 * ph - w.shape[2]) // sh + 1
    v = (x.shape[3] + 2 * pw - w.shape[3]) // sw + 1
    return np.full((x.shape[0], w.shape[0], h, v), np.nan)

# expect: passed
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if np.isscalar(stride) else stride
    ph, pw = (padding, padding) if np.isscalar(padding) else padding
    xp = np.pad(x, [(0, 0), (0, 0), (ph, ph), (pw, pw)])
    windows = sliding_window_view(xp, w.shape[2:], axis=(2, 3))[:, :, ::sh, ::sw]
    out = np.einsum("nchwij,ocij->nohw", windows, w)
    return out if b is None else out + b.reshape(1, -1, 1, 1)

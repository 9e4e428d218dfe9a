# expect: wrong_shape
import numpy as np
def _p(v):
    return (v, v) if isinstance(v, int) else tuple(v)

def max_pool2d(x, kernel_size, stride=None, padding=0):
    kh, kw = _p(kernel_size)
    sh, sw = _p(stride if stride is not None else kh)
    ph, pw = _p(padding)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf)
    win = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    return win.max(axis=(-2, -1))

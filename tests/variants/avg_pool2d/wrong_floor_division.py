# expect: failed | floor division
import numpy as np
def _p(v):
    return (v, v) if isinstance(v, int) else tuple(v)

def avg_pool2d(x, kernel_size, stride=None, padding=0):
    kh, kw = _p(kernel_size); sh, sw = _p(kernel_size if stride is None else stride); ph, pw = _p(padding)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    win = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    return win.sum(axis=(-1, -2)) // (kh * kw)

# expect: failed | last filter
import numpy as np
def _p(v):
    return (v, v) if isinstance(v, int) else tuple(v)
def _conv(x, w, b, sh, sw, ph_top, ph_bot, pw_l, pw_r):
    xp = np.pad(x, ((0, 0), (0, 0), (ph_top, ph_bot), (pw_l, pw_r)))
    kh, kw = w.shape[2:]
    win = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    out = np.einsum("nchwab,ocab->nohw", win, w)
    return out if b is None else out + b[:, None, None]

def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = _p(stride); ph, pw = _p(padding)
    w = np.repeat(w[-1:], w.shape[0], axis=0)
    return _conv(x, w, b, sh, sw, ph, ph, pw, pw)

# expect: passed
import numpy as np


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _windows(x, kh, kw, stride, padding):
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    h_out = (xp.shape[2] - kh) // sh + 1
    w_out = (xp.shape[3] - kw) // sw + 1
    return xp, h_out, w_out, sh, sw


def depthwise_conv2d(x, w, b=None, stride=1, padding=0):
    kh, kw = w.shape[2:]
    xp, h_out, w_out, sh, sw = _windows(x, kh, kw, stride, padding)
    view = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    out = np.einsum("ncijab,cab->ncij", view[:, :, :h_out, :w_out], w[:, 0])
    return out if b is None else out + b[None, :, None, None]

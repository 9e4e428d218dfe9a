# expect: wrong_shape | ignored the stride
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
    xp, h_out, w_out, sh, sw = _windows(x, kh, kw, 1, padding)
    out = np.zeros((x.shape[0], x.shape[1], h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            out[:, :, i, j] = (xp[:, :, i : i + kh, j : j + kw] * w[:, 0]).sum(axis=(2, 3))
    return out if b is None else out + b[None, :, None, None]

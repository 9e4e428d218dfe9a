# expect: failed | by the batch size
import numpy as np


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def conv2d_backward(dout, x, w, stride=1, padding=0):
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    kh, kw = w.shape[2:]
    h, wd = x.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    dxp = np.zeros(xp.shape)
    dw = np.zeros(w.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * sh, i * sh + kh), slice(j * sw, j * sw + kw)
            g = dout[:, :, i, j]
            dxp[:, :, rows, cols] += np.einsum("no,ocab->ncab", g, w)
            dw += np.einsum("no,ncab->ocab", g, xp[:, :, rows, cols])
    db = dout.sum(axis=(0, 2, 3))
    n = x.shape[0]
    return dxp[:, :, ph : ph + h, pw : pw + wd], dw / n, db / n

# expect: failed | by the batch size

import numpy as np


def _pair(value):
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))


def conv2d_backward(dout, x, w, stride=1, padding=0):
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    kh, kw = w.shape[2:]
    h, wd = x.shape[2:]
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    dx_pad = np.zeros(x_pad.shape)
    dw = np.zeros(w.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * sh, i * sh + kh), slice(j * sw, j * sw + kw)
            g = dout[:, :, i, j]  # (N, C_out): the gradient of this output pixel, every image and filter
            dx_pad[:, :, rows, cols] += np.einsum("no,ocab->ncab", g, w)
            dw += np.einsum("no,ncab->ocab", g, x_pad[:, :, rows, cols]) / len(x)
    db = dout.sum(axis=(0, 2, 3))  # the bias is added at every position of every image
    return dx_pad[:, :, ph : ph + h, pw : pw + wd], dw, db

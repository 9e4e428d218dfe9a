# expect: wrong_shape | round()
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    if isinstance(stride, int):
        stride = (stride, stride)
    if isinstance(padding, int):
        padding = (padding, padding)
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    out_h = round((h + 2 * padding[0] - kh) / stride[0]) + 1
    out_w = round((wd + 2 * padding[1] - kw) / stride[1]) + 1
    # pad a little extra at the end so every window is full
    xp = np.pad(x, ((0, 0), (0, 0), (padding[0], padding[0] + kh), (padding[1], padding[1] + kw)))
    cols = np.empty((n, c * kh * kw, out_h * out_w))
    for i in range(out_h):
        for j in range(out_w):
            r, s = i * stride[0], j * stride[1]
            cols[:, :, i * out_w + j] = xp[:, :, r : r + kh, s : s + kw].reshape(n, -1)
    out = np.einsum("ok,nkp->nop", w.reshape(o, -1), cols).reshape(n, o, out_h, out_w)
    if b is not None:
        out = out + b.reshape(1, o, 1, 1)
    return out

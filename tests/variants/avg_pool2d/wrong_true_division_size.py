# expect: error | true division
import numpy as np


def avg_pool2d(x, kernel_size, stride=None, padding=0):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    sh, sw = (kh, kw) if stride is None else ((stride, stride) if isinstance(stride, int) else stride)
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out_h = (x.shape[2] + 2 * ph - kh) / sh + 1
    out_w = (x.shape[3] + 2 * pw - kw) / sw + 1
    out = np.zeros((x.shape[0], x.shape[1], int(out_h), int(out_w)))
    for i in range(out_h):
        for j in range(out_w):
            top, left = i * sh, j * sw
            out[:, :, i, j] = xp[:, :, top : top + kh, left : left + kw].mean(axis=(2, 3))
    return out

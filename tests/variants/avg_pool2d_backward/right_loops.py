# expect: passed
# Loops over every output pixel and every cell of its window, skipping padded cells.
import numpy as np


def avg_pool2d_backward(dout, x_shape, kernel_size, stride=None, padding=0):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    if stride is None:
        stride = (kh, kw)
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    n, c, h, w = x_shape
    dx = np.zeros(x_shape)
    for b in range(n):
        for ch in range(c):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    for a in range(kh):
                        for e in range(kw):
                            r, q = i * sh + a - ph, j * sw + e - pw
                            if 0 <= r < h and 0 <= q < w:
                                dx[b, ch, r, q] += dout[b, ch, i, j] / (kh * kw)
    return dx

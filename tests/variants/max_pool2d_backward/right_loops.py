# expect: passed
# Plain loops: scan each window row by row and keep the first strictly larger value.
import numpy as np


def max_pool2d_backward(dout, x, kernel_size, stride=None, padding=0):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    if stride is None:
        stride = (kh, kw)
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    n, c, h, w = x.shape
    dx = np.zeros(x.shape)
    for b in range(n):
        for ch in range(c):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    best, where = -np.inf, None
                    for a in range(kh):
                        for e in range(kw):
                            r, q = i * sh + a - ph, j * sw + e - pw
                            if 0 <= r < h and 0 <= q < w and x[b, ch, r, q] > best:
                                best, where = x[b, ch, r, q], (r, q)
                    dx[b, ch, where[0], where[1]] += dout[b, ch, i, j]
    return dx

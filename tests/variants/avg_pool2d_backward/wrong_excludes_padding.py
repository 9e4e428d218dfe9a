# expect: failed | real pixels only
# Divides each window's gradient by the number of real (unpadded) cells it covers.
import numpy as np


def avg_pool2d_backward(dout, x_shape, kernel_size, stride=None, padding=0):
    kh, kw = np.broadcast_to(kernel_size, 2)
    sh, sw = np.broadcast_to(kernel_size if stride is None else stride, 2)
    ph, pw = np.broadcast_to(padding, 2)
    n, c, h, w = x_shape
    real = np.pad(np.ones((h, w)), ((ph, ph), (pw, pw)))
    dxp = np.zeros((n, c, h + 2 * ph, w + 2 * pw))
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * sh, i * sh + kh), slice(j * sw, j * sw + kw)
            dxp[:, :, rows, cols] += dout[:, :, i, j, None, None] / real[rows, cols].sum()
    return dxp[:, :, ph : ph + h, pw : pw + w]

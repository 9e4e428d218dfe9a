# expect: failed | like max pooling
# Sends each window's dout to its top-left cell, as if it were max pooling of zeros.
import numpy as np


def avg_pool2d_backward(dout, x_shape, kernel_size, stride=None, padding=0):
    kh, kw = np.broadcast_to(kernel_size, 2)
    sh, sw = np.broadcast_to(kernel_size if stride is None else stride, 2)
    ph, pw = np.broadcast_to(padding, 2)
    n, c, h, w = x_shape
    dxp = np.zeros((n, c, h + 2 * ph, w + 2 * pw))
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            dxp[:, :, i * sh, j * sw] += dout[:, :, i, j]
    return dxp[:, :, ph : ph + h, pw : pw + w]

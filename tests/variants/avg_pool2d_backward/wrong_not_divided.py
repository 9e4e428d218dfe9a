# expect: failed | dout itself to every cell
import numpy as np


def avg_pool2d_backward(dout, x_shape, kernel_size, stride=None, padding=0):
    kh, kw = np.broadcast_to(kernel_size, 2)
    sh, sw = np.broadcast_to(kernel_size if stride is None else stride, 2)
    ph, pw = np.broadcast_to(padding, 2)
    n, c, h, w = x_shape
    dxp = np.zeros((n, c, h + 2 * ph, w + 2 * pw))
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            dxp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw] += dout[:, :, i, j, None, None]
    return dxp[:, :, ph : ph + h, pw : pw + w]

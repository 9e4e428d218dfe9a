# expect: passed
# Non-overlapping tiling (stride = kernel, no padding) is np.kron with a block of ones; else loops.
import numpy as np


def avg_pool2d_backward(dout, x_shape, kernel_size, stride=None, padding=0):
    kh, kw = np.broadcast_to(kernel_size, 2)
    sh, sw = np.broadcast_to(kernel_size if stride is None else stride, 2)
    ph, pw = np.broadcast_to(padding, 2)
    n, c, h, w = x_shape
    if (sh, sw) == (kh, kw) and (ph, pw) == (0, 0):
        dx = np.zeros(x_shape)
        tiled = np.kron(dout, np.ones((kh, kw))) / (kh * kw)
        dx[:, :, : tiled.shape[2], : tiled.shape[3]] = tiled
        return dx
    dxp = np.zeros((n, c, h + 2 * ph, w + 2 * pw))
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            dxp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw] += dout[:, :, i, j, None, None] / (kh * kw)
    return dxp[:, :, ph : ph + h, pw : pw + w]

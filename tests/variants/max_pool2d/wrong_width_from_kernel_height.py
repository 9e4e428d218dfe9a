# expect: wrong_shape | from the kernel's height
import numpy as np


def max_pool2d(x, kernel_size, stride=None, padding=0):
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    if stride is None:
        stride = kernel_size
    if isinstance(stride, int):
        stride = (stride, stride)
    if isinstance(padding, int):
        padding = (padding, padding)
    k = kernel_size[0]
    xp = np.pad(x, [(0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2], constant_values=-np.inf)
    oh = (xp.shape[2] - k) // stride[0] + 1
    ow = (xp.shape[3] - k) // stride[1] + 1
    out = np.empty((x.shape[0], x.shape[1], oh, ow))
    for i in range(oh):
        for j in range(ow):
            r, c = i * stride[0], j * stride[1]
            out[:, :, i, j] = np.max(xp[:, :, r : r + kernel_size[0], c : c + kernel_size[1]], axis=(2, 3))
    return out

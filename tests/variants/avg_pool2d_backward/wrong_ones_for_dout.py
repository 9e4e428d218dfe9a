# expect: failed | when dout is all ones
# Spreads 1/(kh·kw) over each window, forgetting to multiply by the window's upstream gradient.
import numpy as np


def _pair(value):
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))


def avg_pool2d_backward(dout, x_shape, kernel_size, stride=None, padding=0):
    kh, kw = _pair(kernel_size)
    sh, sw = _pair(kernel_size if stride is None else stride)
    ph, pw = _pair(padding)
    n, c, h, w = x_shape
    dx_pad = np.zeros((n, c, h + 2 * ph, w + 2 * pw))
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            dx_pad[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw] += 1.0 / (kh * kw)
    return dx_pad[:, :, ph : ph + h, pw : pw + w]

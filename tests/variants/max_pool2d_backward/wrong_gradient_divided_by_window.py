# expect: failed | constant multiple

import numpy as np


def _pair(value):
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))


def max_pool2d_backward(dout, x, kernel_size, stride=None, padding=0):
    kh, kw = _pair(kernel_size)
    sh, sw = _pair(kernel_size if stride is None else stride)
    ph, pw = _pair(padding)
    n, c, h, w = x.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf)
    dx_pad = np.zeros(x_pad.shape)
    images, channels = np.meshgrid(np.arange(n), np.arange(c), indexing="ij")
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = x_pad[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw].reshape(n, c, -1)
            a, b = np.divmod(window.argmax(axis=2), kw)
            np.add.at(dx_pad, (images, channels, i * sh + a, j * sw + b), dout[:, :, i, j] / (kh * kw))  # shared out like an average
    return dx_pad[:, :, ph : ph + h, pw : pw + w]

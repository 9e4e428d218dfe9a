# expect: failed | overwrites where windows overlap
import numpy as np


def max_pool2d_backward(dout, x, kernel_size, stride=None, padding=0):
    kh, kw = np.broadcast_to(kernel_size, 2)
    sh, sw = np.broadcast_to(kernel_size if stride is None else stride, 2)
    ph, pw = np.broadcast_to(padding, 2)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf)
    dxp = np.zeros(xp.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            win = xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
            g = dout[:, :, i, j, None, None]
            mask = np.eye(kh * kw)[win.reshape(*win.shape[:2], -1).argmax(axis=2)].reshape(win.shape)
            dxp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw] = mask * g
    return dxp[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]]

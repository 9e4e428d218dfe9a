# expect: passed
# A one-hot mask per window (np.argmax picks the first maximum), accumulated with +=; float32.
import numpy as np


def max_pool2d_backward(dout, x, kernel_size, stride=None, padding=0):
    kh, kw = np.broadcast_to(kernel_size, 2)
    sh, sw = np.broadcast_to(kernel_size if stride is None else stride, 2)
    ph, pw = np.broadcast_to(padding, 2)
    xp = np.pad(x.astype(np.float32), ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf)
    dxp = np.zeros(xp.shape, dtype=np.float32)
    n, c = x.shape[:2]
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            win = xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw].reshape(n, c, -1)
            mask = np.eye(kh * kw, dtype=np.float32)[win.argmax(axis=2)].reshape(n, c, kh, kw)
            dxp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw] += mask * dout[
                :, :, i, j, None, None
            ].astype(np.float32)
    return dxp[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]]

# expect: passed
# All windows at once with sliding_window_view; flat argmax indices scattered with np.add.at.
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def max_pool2d_backward(dout, x, kernel_size, stride=None, padding=0):
    kh, kw = np.broadcast_to(kernel_size, 2)
    sh, sw = np.broadcast_to(kernel_size if stride is None else stride, 2)
    ph, pw = np.broadcast_to(padding, 2)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf)
    ho, wo = dout.shape[2:]
    win = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw][:, :, :ho, :wo]
    a, b = np.divmod(win.reshape(*win.shape[:4], -1).argmax(axis=-1), kw)
    n, c, i, j = np.indices(dout.shape)
    dxp = np.zeros(xp.shape)
    np.add.at(dxp, (n, c, i * sh + a, j * sw + b), dout)
    return dxp[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]]

# expect: passed
# All windows at once with sliding_window_view, then einsum; dx scattered window offset by window offset.
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv2d_backward(dout, x, w, stride=(1, 1), padding=(0, 0)):
    sh, sw = np.broadcast_to(stride, 2)
    ph, pw = np.broadcast_to(padding, 2)
    kh, kw = w.shape[2:]
    h_out, w_out = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    windows = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw][:, :, :h_out, :w_out]
    dw = np.einsum("noij,ncijab->ocab", dout, windows)
    dxp = np.zeros(xp.shape)
    per_offset = np.einsum("noij,ocab->ncabij", dout, w)
    for a in range(kh):
        for b in range(kw):
            dxp[:, :, a : a + (h_out - 1) * sh + 1 : sh, b : b + (w_out - 1) * sw + 1 : sw] += per_offset[
                :, :, a, b
            ]
    return dxp[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]], dw, dout.sum(axis=(0, 2, 3))

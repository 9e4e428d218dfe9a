# expect: error | true division
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    N, C, H, W = x.shape
    F, _, kh, kw = w.shape
    H_out = 1 + (H + 2 * ph - kh) / sh
    W_out = 1 + (W + 2 * pw - kw) / sw
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((N, F, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = np.einsum("nchw,fchw->nf", xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw], w)
    if b is not None:
        out += b.reshape(1, -1, 1, 1)
    return out

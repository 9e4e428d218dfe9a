# expect: error | Remove that check
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    assert (H + 2 * ph - HH) % sh == 0, "width does not work"
    assert (W + 2 * pw - WW) % sw == 0, "height does not work"
    H_out = (H + 2 * ph - HH) // sh + 1
    W_out = (W + 2 * pw - WW) // sw + 1
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((N, F, H_out, W_out))
    for f in range(F):
        for i in range(H_out):
            for j in range(W_out):
                out[:, f, i, j] = np.sum(xp[:, :, i * sh : i * sh + HH, j * sw : j * sw + WW] * w[f], axis=(1, 2, 3))
        if b is not None:
            out[:, f] += b[f]
    return out

# expect: failed | on the left (instead of pw, the width's padding)
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    n, _, height, width = x.shape
    f, _, kh, kw = w.shape
    # (ph, pw) given to np.pad for each axis: it reads them as (before, after)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, pw), (ph, pw)))
    h_out = (height + 2 * ph - kh) // sh + 1
    w_out = (width + 2 * pw - kw) // sw + 1
    out = np.zeros((n, f, h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            window = xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
            rows, cols = window.shape[2:]  # clipped at the edge of xp
            out[:, :, i, j] = np.tensordot(window, w[:, :, :rows, :cols], axes=([1, 2, 3], [1, 2, 3]))
    if b is not None:
        out += b[None, :, None, None]
    return out

# expect: failed | move one pixel per step
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    ho = 1 + (h + 2 * ph - kh) // sh
    wo = 1 + (wd + 2 * pw - kw) // sw
    out = np.zeros((n, f, ho, wo))
    for k in range(n):
        for o in range(f):
            for i in range(ho):
                for j in range(wo):
                    out[k, o, i, j] = np.sum(x[k, :, i : i + kh, j : j + kw] * w[o])
            if b is not None:
                out[k, o] += b[o]
    return out

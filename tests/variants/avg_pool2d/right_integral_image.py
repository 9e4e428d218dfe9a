# expect: passed
import numpy as np
def _p(v):
    return (v, v) if isinstance(v, int) else tuple(v)

def avg_pool2d(x, kernel_size, stride=None, padding=0):
    kh, kw = _p(kernel_size); sh, sw = _p(kernel_size if stride is None else stride); ph, pw = _p(padding)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    S = np.zeros(xp.shape[:2] + (xp.shape[2] + 1, xp.shape[3] + 1))
    S[:, :, 1:, 1:] = xp.cumsum(2).cumsum(3)
    Ho = (xp.shape[2] - kh)//sh + 1; Wo = (xp.shape[3] - kw)//sw + 1
    i = np.arange(Ho)*sh; j = np.arange(Wo)*sw
    tot = (S[:, :, i[:, None] + kh, j[None, :] + kw] - S[:, :, i[:, None], j[None, :] + kw]
           - S[:, :, i[:, None] + kh, j[None, :]] + S[:, :, i[:, None], j[None, :]])
    return tot / (kh * kw)

# expect: passed
import numpy as np
def _p(v):
    return (v, v) if isinstance(v, int) else tuple(v)

def max_pool2d(x, kernel_size, stride=None, padding=0):
    kh, kw = _p(kernel_size); sh, sw = _p(kernel_size if stride is None else stride); ph, pw = _p(padding)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=np.nan)
    Ho = (xp.shape[2] - kh) // sh + 1; Wo = (xp.shape[3] - kw) // sw + 1
    out = np.empty(x.shape[:2] + (Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = np.nanmax(xp[:, :, i*sh:i*sh+kh, j*sw:j*sw+kw], axis=(2, 3))
    return out

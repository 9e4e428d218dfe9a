# expect: wrong_shape | rounded the output size up
import numpy as np
def _p(v):
    return (v, v) if isinstance(v, int) else tuple(v)

def avg_pool2d(x, kernel_size, stride=None, padding=0):
    kh, kw = _p(kernel_size); sh, sw = _p(stride if stride is not None else kernel_size); ph, pw = _p(padding)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph + sh), (pw, pw + sw)))
    Ho = -(-(x.shape[2] + 2*ph - kh) // sh) + 1; Wo = -(-(x.shape[3] + 2*pw - kw) // sw) + 1
    out = np.empty(x.shape[:2] + (Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = xp[:, :, i*sh:i*sh+kh, j*sw:j*sw+kw].mean(axis=(2, 3))
    return out

# expect: wrong_shape | from the kernel's height
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    N, C, H, W = x.shape
    F, _, K, KW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph + K), (pw, pw + K)))
    Ho = (H + 2 * ph - K) // sh + 1
    Wo = (W + 2 * pw - K) // sw + 1
    out = np.zeros((N, F, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = xp[:, :, i * sh : i * sh + K, j * sw : j * sw + KW]
            out[:, :, i, j] = np.tensordot(win, w, axes=([1, 2, 3], [1, 2, 3]))
    if b is not None:
        out += b[None, :, None, None]
    return out

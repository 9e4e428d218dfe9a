# expect: wrong_signature | their order
import numpy as np


def conv2d(x, w, b=None, padding=0, stride=1):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, _, h, width = xpad.shape
    c_out, _, kh, kw = w.shape
    h_out, w_out = (h - kh) // sh + 1, (width - kw) // sw + 1
    out = np.zeros((n, c_out, h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            window = xpad[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
            out[:, :, i, j] = np.einsum("ncab,ocab->no", window, w)
    return out if b is None else out + b[None, :, None, None]

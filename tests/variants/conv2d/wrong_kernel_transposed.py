# expect: failed | transposed the kernel
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, c_in, h, width = xp.shape
    c_out, _, kh, kw = w.shape
    # Square kernels only "work" here: the kernel is read as w[o, c, b, a].
    wt = np.swapaxes(w, 2, 3) if kh == kw else w
    h_out, w_out = (h - kh) // sh + 1, (width - kw) // sw + 1
    out = np.zeros((n, c_out, h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            patch = xp[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
            out[:, :, i, j] = np.tensordot(patch, wt, axes=([1, 2, 3], [1, 2, 3]))
    return out if b is None else out + b[None, :, None, None]

"""Must pass: correct but slow, seven nested pure-Python loops with float64 scalars."""
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    n_images, c_in, height, width = x.shape
    c_out, _, kh, kw = w.shape
    h_out = (height + 2 * ph - kh) // sh + 1
    w_out = (width + 2 * pw - kw) // sw + 1
    out = np.zeros((n_images, c_out, h_out, w_out))
    for n in range(n_images):
        for o in range(c_out):
            for i in range(h_out):
                for j in range(w_out):
                    total = 0.0 if b is None else float(b[o])
                    for c in range(c_in):
                        for a in range(kh):
                            for e in range(kw):
                                row, col = i * sh + a - ph, j * sw + e - pw
                                if 0 <= row < height and 0 <= col < width:
                                    total += x[n, c, row, col] * w[o, c, a, e]
                    out[n, o, i, j] = total
    return out

# expect: wrong_shape | swapped the kernel || the kernel's sides the wrong way round

import numpy as np


def _pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def max_pool2d(x, kernel_size, stride=None, padding=0):
    kw, kh = _pair(kernel_size)
    sh, sw = _pair(kernel_size if stride is None else stride)  # None means non-overlapping windows
    ph, pw = _pair(padding)
    # Pad with −inf, not 0: the padding must never win the max, even where every value is negative.
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf)
    out_h = (x.shape[2] + 2 * ph - kh) // sh + 1
    out_w = (x.shape[3] + 2 * pw - kw) // sw + 1
    out = np.empty(x.shape[:2] + (out_h, out_w), dtype=np.result_type(x.dtype, np.float32))
    for i in range(out_h):
        for j in range(out_w):
            window = padded[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out

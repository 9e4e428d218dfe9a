# expect: passed
import numpy as np


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _windows(x, kh, kw, stride, padding):
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    h_out = (xp.shape[2] - kh) // sh + 1
    w_out = (xp.shape[3] - kw) // sw + 1
    return xp, h_out, w_out, sh, sw


def depthwise_conv2d(x, w, b=None, stride=1, padding=0):
    kh, kw = w.shape[2:]
    xp, h_out, w_out, sh, sw = _windows(x, kh, kw, stride, padding)
    n, c = x.shape[:2]
    out = np.zeros((n, c, h_out, w_out), dtype=np.float32)
    for m in range(n):
        for ch in range(c):
            for i in range(h_out):
                for j in range(w_out):
                    out[m, ch, i, j] = np.sum(xp[m, ch, i * sh : i * sh + kh, j * sw : j * sw + kw] * w[ch, 0])
            if b is not None:
                out[m, ch] += b[ch]
    return out

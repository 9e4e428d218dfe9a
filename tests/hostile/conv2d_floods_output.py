"""Must pass: correct, but floods stdout and stderr (Python-level and raw file descriptors)."""
import os
import sys

import numpy as np

print("x" * 5_000_000)
os.write(1, b"raw fd 1 " * 100_000)


def conv2d(x, w, b=None, stride=1, padding=0):
    for _ in range(300):
        print("debug: still computing, still computing, still computing")
        print("warning: noisy stderr line", file=sys.stderr)
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    kh, kw = w.shape[2:]
    h = (xp.shape[2] - kh) // sh + 1
    v = (xp.shape[3] - kw) // sw + 1
    out = np.zeros((x.shape[0], w.shape[0], h, v))
    for i in range(h):
        for j in range(v):
            out[:, :, i, j] = np.einsum("ncab,ocab->no", xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw], w)
    if b is not None:
        out += b[None, :, None, None]
    return out

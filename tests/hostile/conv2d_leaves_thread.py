"""Must pass: correct, but starts a non-daemon thread that never ends."""
import threading
import time

import numpy as np


def _forever():
    while True:
        time.sleep(0.05)


threading.Thread(target=_forever, daemon=False).start()


def conv2d(x, w, b=None, stride=1, padding=0):
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

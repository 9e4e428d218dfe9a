"""Wrong result: correct for stride 1, raises for any other stride (the shrunk input must show it)."""
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    if (sh, sw) != (1, 1):
        raise ValueError(f"stride {stride} is not supported yet")
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    kh, kw = w.shape[2:]
    h = xp.shape[2] - kh + 1
    v = xp.shape[3] - kw + 1
    out = np.zeros((x.shape[0], w.shape[0], h, v))
    for i in range(h):
        for j in range(v):
            out[:, :, i, j] = np.einsum("ncab,ocab->no", xp[:, :, i : i + kh, j : j + kw], w)
    if b is not None:
        out += b[None, :, None, None]
    return out

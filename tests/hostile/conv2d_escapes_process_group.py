"""Must pass: correct, but double-forks a grandchild into a new session (out of the worker's
process group) that sleeps forever. Its command line carries a marker the test looks for."""
import os
import sys

import numpy as np

MARKER = "tutor-hostile-marker-escapes-process-group"

child = os.fork()
if child == 0:
    os.setsid()
    grandchild = os.fork()
    if grandchild == 0:
        os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(3600)", MARKER])
    os._exit(0)
os.waitpid(child, 0)


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

"""Must pass: correct, but starts child processes that ignore SIGTERM and sleep forever.

Their command lines carry a marker so the test can check that they are gone afterwards.
"""
import subprocess
import sys

import numpy as np

SLEEPER = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(3600)"
MARKER = "tutor-hostile-marker-leaves-child-process"
children = [subprocess.Popen([sys.executable, "-c", SLEEPER, MARKER]) for _ in range(3)]


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

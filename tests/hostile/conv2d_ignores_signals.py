"""Runaway: ignores SIGTERM, SIGINT and SIGHUP, then loops forever (only SIGKILL stops it)."""
import signal

import numpy as np

for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1"):
    signal.signal(getattr(signal, name), signal.SIG_IGN)


def conv2d(x, w, b=None, stride=1, padding=0):
    while True:
        try:
            pass
        except BaseException:  # swallow KeyboardInterrupt too
            continue
    return np.zeros(1)

"""Runaway: a long sleep at import time (the tutor never gets to call anything)."""
import time

import numpy as np

time.sleep(600)


def conv2d(x, w, b=None, stride=1, padding=0):
    return np.zeros(1)

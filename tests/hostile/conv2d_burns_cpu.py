"""Runaway: pure CPU burning, stopped by the CPU-time limit before the wall clock."""
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    n = 0
    while n >= 0:
        n = (n * 7 + 3) % 1_000_003
    return np.zeros(1)

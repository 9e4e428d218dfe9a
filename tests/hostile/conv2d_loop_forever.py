"""Runaway: an infinite loop inside the function."""
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    total = 0
    while True:
        total += 1
    return np.zeros(1)

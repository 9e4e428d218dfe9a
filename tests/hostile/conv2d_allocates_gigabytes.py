"""Runaway: allocates 32 GB in one go."""
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    huge = np.ones((4, 1024, 1024, 1024))
    return huge[:1, :1, :1, :1]

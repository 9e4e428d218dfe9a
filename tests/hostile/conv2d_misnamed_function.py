"""Broken file: the function is called conv_2d instead of conv2d."""
import numpy as np


def conv_2d(x, w, b=None, stride=1, padding=0):
    return np.zeros(1)

"""Broken file: the parameters are renamed and the defaults dropped."""
import numpy as np


def conv2d(x, w, bias, s, p):
    return np.zeros(1)

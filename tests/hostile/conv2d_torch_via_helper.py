"""Forbidden import: through another module next to the file (tests/hostile/_helpers/fast_conv.py)."""
import numpy as np
from fast_conv import conv


def conv2d(x, w, b=None, stride=1, padding=0):
    return conv(x, w, b, stride, padding)

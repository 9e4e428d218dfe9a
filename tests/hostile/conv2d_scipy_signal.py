"""Forbidden import: `from scipy import signal` (scipy need not even be installed)."""
import numpy as np
from scipy import signal


def conv2d(x, w, b=None, stride=1, padding=0):
    return signal.correlate(x, w, mode="valid")

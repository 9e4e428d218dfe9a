"""Runaway: dereferences a NULL pointer through ctypes (SIGSEGV)."""
import ctypes

import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    ctypes.string_at(0)
    return np.zeros(1)

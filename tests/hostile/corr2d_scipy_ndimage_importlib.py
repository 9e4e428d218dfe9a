"""Forbidden import: scipy.ndimage through importlib with a computed name."""
import importlib

import numpy as np


def corr2d(x, k):
    ndimage = importlib.import_module(".".join(["scipy", "nd" + "image"]))
    return ndimage.correlate(x, k)

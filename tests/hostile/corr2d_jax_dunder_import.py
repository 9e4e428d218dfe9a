"""Forbidden import: jax via __import__ with a computed name, inside the function."""
import numpy as np


def corr2d(x, k):
    jax_scipy = __import__("ja" + "x.scipy.signal", fromlist=["correlate2d"])
    return np.asarray(jax_scipy.correlate2d(x, k, mode="valid"))

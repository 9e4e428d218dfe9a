"""Runaway: writes a 200 MB file; the file-size limit makes the write fail."""
import numpy as np


def corr2d(x, k):
    with open("scratch.bin", "wb") as handle:
        for _ in range(200):
            handle.write(b"\0" * (1024 * 1024))
    return np.zeros((1, 1))

"""Runaway: grows a list of 50 MB blocks until memory runs out."""
import numpy as np


def corr2d(x, k):
    blocks = []
    while True:
        blocks.append(np.empty(50 * 1024 * 1024 // 8))
    return np.zeros((1, 1))

"""Broken file: saved as Latin-1, not UTF-8."""
import numpy as np

# résultat: la corrélation croisée


def corr2d(x, k):
    return np.zeros((1, 1))

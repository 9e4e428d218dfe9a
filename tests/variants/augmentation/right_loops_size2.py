# expect: passed
"""Loops and np.flip; offsets drawn together with size=2 (the same stream as two draws)."""
import numpy as np


def hflip(x):
    return np.flip(x, axis=-1).copy()


def random_crop(x, padding, rng):
    rng = np.random.default_rng(rng)
    c, h, w = x.shape
    top, left = rng.integers(0, 2 * padding + 1, size=2)
    out = np.zeros_like(x, dtype=np.float64)
    for i in range(h):
        for j in range(w):
            si, sj = top + i - padding, left + j - padding
            if 0 <= si < h and 0 <= sj < w:
                out[:, i, j] = x[:, si, sj]
    return out


def adjust_brightness(x, factor):
    return np.minimum(np.maximum(x * factor, 0.0), 1.0)


def adjust_contrast(x, factor):
    m = np.mean(x)
    return np.clip((1 - factor) * m + factor * x, 0, 1)


def augment(x, rng, padding=4, jitter=0.4):
    rng = np.random.default_rng(rng)
    if rng.random() < 0.5:
        x = hflip(x)
    x = random_crop(x, padding, rng)
    b = rng.uniform(1 - jitter, 1 + jitter)
    c = rng.uniform(1 - jitter, 1 + jitter)
    return adjust_contrast(adjust_brightness(x, b), c)

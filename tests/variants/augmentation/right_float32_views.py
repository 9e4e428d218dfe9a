# expect: passed
"""float32 arithmetic, views where NumPy gives them."""
import numpy as np


def hflip(x):
    return x[..., ::-1]


def random_crop(x, padding, rng):
    rng = np.random.default_rng(rng)
    _, h, w = x.shape
    padded = np.zeros((x.shape[0], h + 2 * padding, w + 2 * padding), dtype=np.float32)
    padded[:, padding : padding + h, padding : padding + w] = x
    top = rng.integers(2 * padding + 1)
    left = rng.integers(2 * padding + 1)
    return padded[:, top : top + h, left : left + w]


def adjust_brightness(x, factor):
    return np.clip(x.astype(np.float32) * np.float32(factor), 0, 1)


def adjust_contrast(x, factor):
    x32 = x.astype(np.float32)
    m = x32.mean()
    return np.clip(m + np.float32(factor) * (x32 - m), 0, 1)


def augment(x, rng, padding=4, jitter=0.4):
    rng = np.random.default_rng(rng)
    flipped = rng.random() < 0.5
    x = hflip(x) if flipped else x
    x = random_crop(x, padding, rng)
    x = adjust_brightness(x, rng.uniform(1 - jitter, 1 + jitter))
    return adjust_contrast(x, rng.uniform(1 - jitter, 1 + jitter))

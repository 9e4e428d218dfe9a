# expect: failed | one mean per channel
from __future__ import annotations

import numpy as np


def hflip(x: np.ndarray) -> np.ndarray:
    # The width is the last axis of (C, H, W). The slice is a view: copy it, so the caller's
    # image and the result never share memory.
    return x[:, :, ::-1].copy()


def random_crop(x: np.ndarray, padding: int, rng: np.random.Generator | int) -> np.ndarray:
    rng = np.random.default_rng(rng)  # a Generator stays itself; an int seeds a new one
    _, height, width = x.shape
    padded = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))  # zeros, height and width only
    # integers' upper bound is EXCLUSIVE: 2·padding + 1 positions, from 0 to 2·padding inclusive.
    top = rng.integers(0, 2 * padding + 1)
    left = rng.integers(0, 2 * padding + 1)
    return padded[:, top : top + height, left : left + width].copy()


def adjust_brightness(x: np.ndarray, factor: float) -> np.ndarray:
    return np.clip(x * factor, 0.0, 1.0)


def adjust_contrast(x: np.ndarray, factor: float) -> np.ndarray:
    # Stretch the values away from (or squeeze them towards) the image's own mean, then clip.
    mean = x.mean(axis=(1, 2), keepdims=True)
    return np.clip(mean + factor * (x - mean), 0.0, 1.0)


def augment(x: np.ndarray, rng: np.random.Generator | int, padding: int = 4, jitter: float = 0.4) -> np.ndarray:
    rng = np.random.default_rng(rng)
    flip = rng.random() < 0.5
    out = hflip(x) if flip else x
    out = random_crop(out, padding, rng)  # the same generator: its stream goes on
    out = adjust_brightness(out, rng.uniform(1 - jitter, 1 + jitter))
    return adjust_contrast(out, rng.uniform(1 - jitter, 1 + jitter))

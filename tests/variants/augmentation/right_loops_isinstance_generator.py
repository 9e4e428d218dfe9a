# expect: passed
# Loops everywhere, a crop that copies pixels instead of padding, and a Generator checked with isinstance.
import numpy as np
def hflip(x):
    out = np.empty_like(x)
    W = x.shape[2]
    for j in range(W):
        out[:, :, j] = x[:, :, W - 1 - j]
    return out
def random_crop(x, padding, rng):
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(rng)
    C, H, W = x.shape
    top, left = int(rng.integers(0, 2 * padding + 1)), int(rng.integers(0, 2 * padding + 1))
    out = np.zeros_like(x)
    for i in range(H):
        for j in range(W):
            si, sj = i + top - padding, j + left - padding
            if 0 <= si < H and 0 <= sj < W:
                out[:, i, j] = x[:, si, sj]
    return out
def adjust_brightness(x, factor):
    out = x * factor
    out[out > 1] = 1
    out[out < 0] = 0
    return out
def adjust_contrast(x, factor):
    m = np.mean(x)
    return np.clip((x - m) * factor + m, 0, 1)
def augment(x, rng, padding=4, jitter=0.4):
    gen = np.random.default_rng(rng)
    flip = gen.random() < 0.5
    y = hflip(x) if flip else x.copy()
    y = random_crop(y, padding, gen)
    lo, hi = 1 - jitter, 1 + jitter
    y = adjust_brightness(y, gen.uniform(lo, hi))
    y = adjust_contrast(y, gen.uniform(lo, hi))
    return y

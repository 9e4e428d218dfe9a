# expect: failed | padded on one side only
import numpy as np
def hflip(x):
    return x[:, :, ::-1].copy()  #FLIP
def random_crop(x, padding, rng):
    rng = np.random.default_rng(rng)
    _, H, W = x.shape
    padded = np.pad(x, ((0, 0), (0, 2 * padding), (0, 2 * padding)))
    top = rng.integers(0, 2 * padding + 1)  #TOP
    left = rng.integers(0, 2 * padding + 1)  #LEFT
    return padded[:, top:top + H, left:left + W].copy()
def adjust_brightness(x, factor):
    return np.clip(x * factor, 0.0, 1.0)  #BRIGHT
def adjust_contrast(x, factor):
    m = x.mean()  #MEAN
    return np.clip(m + factor * (x - m), 0.0, 1.0)
def augment(x, rng, padding=4, jitter=0.4):
    rng = np.random.default_rng(rng)
    if rng.random() < 0.5:  #COIN
        x = hflip(x)
    x = random_crop(x, padding, rng)
    b = rng.uniform(1 - jitter, 1 + jitter)  #B
    c = rng.uniform(1 - jitter, 1 + jitter)  #C
    return adjust_contrast(adjust_brightness(x, b), c)

"""Exercise augmentation: flip, random crop, brightness and contrast on (C, H, W) images.

Check it with:  tutor check augmentation
See it with:    tutor show augmentation   (your augment() on a sample image, as pictures)
Only NumPy is allowed: torch and torchvision would do the exercise for you.

Images are float arrays of shape (C, H, W) with values in [0, 1]. Every function returns a NEW
array of the same shape and never modifies x.

Randomness comes only from `rng`, never from np.random.* functions or a seed of your own: then
the same rng (or the same seed) always gives the same output. `rng` may be a
np.random.Generator or an int seed; the line `rng = np.random.default_rng(rng)` turns a seed
into a Generator and leaves a Generator as it is (it is already written for you below).
"""

import numpy as np


def hflip(x: np.ndarray) -> np.ndarray:
    """Mirror the image left to right: out[c, i, j] = x[c, i, W − 1 − j].

    The width is the LAST axis of (C, H, W). Flipping twice gives x back.
    Same as torch.flip(x, dims=[2]).

    Worked example: x = [[[0, 0.5, 1], [0.25, 0.75, 1]]] (shape (1, 2, 3))
    gives [[[1, 0.5, 0], [1, 0.75, 0.25]]].
    """
    # TODO: reverse the width axis only, and return a new array.
    raise NotImplementedError


def random_crop(x: np.ndarray, padding: int, rng: np.random.Generator | int) -> np.ndarray:
    """Pad with zeros, then cut an H × W window at a random offset (a random shift of the image).

    1. pad `padding` zeros on each side of the height and of the width (not the channels):
       the padded image is (C, H + 2·padding, W + 2·padding);
    2. draw, in this order,  top = rng.integers(0, 2 * padding + 1)
                             left = rng.integers(0, 2 * padding + 1)
       (the upper bound of integers is exclusive: every offset 0 … 2·padding can come out);
    3. return padded[:, top : top + H, left : left + W].

    Same as torch.nn.functional.pad(x, (padding,) * 4) and that window (torchvision's RandomCrop).

    Worked example: the x above, padding = 1, rng = 0: the draws are top = 2, left = 1, so the
    window is the second row shifted up, over a row of padded zeros:
    [[[0.25, 0.75, 1], [0, 0, 0]]].
    """
    rng = np.random.default_rng(rng)
    # TODO: pad, draw top then left from rng, and cut the window.
    raise NotImplementedError


def adjust_brightness(x: np.ndarray, factor: float) -> np.ndarray:
    """Scale every value by `factor` and clip to [0, 1]: out = clip(x · factor, 0, 1).

    factor 1 keeps the image, 0 makes it black, 1.5 makes it brighter (and saturates what passes 1).
    Worked example: the x above with factor 1.5 gives [[[0, 0.75, 1], [0.375, 1, 1]]].
    """
    # TODO: multiply, then clip.
    raise NotImplementedError


def adjust_contrast(x: np.ndarray, factor: float) -> np.ndarray:
    """Move every value away from the image's mean by `factor`, then clip to [0, 1]:

        m = mean of ALL values of x (one number for the whole image)
        out = clip(m + factor · (x − m), 0, 1)

    factor 1 keeps the image, 0 makes it a flat grey at m, 2 doubles every difference from m.
    Worked example: the x above has m = 0.5833; with factor 2 it gives
    [[[0, 0.4167, 1], [0, 0.9167, 1]]].
    """
    # TODO: compute the mean, stretch around it, then clip.
    raise NotImplementedError


def augment(
    x: np.ndarray, rng: np.random.Generator | int, padding: int = 4, jitter: float = 0.4
) -> np.ndarray:
    """One random training view of x, with every draw from the same generator, in this order:

    1. flip = rng.random() < 0.5;            if flip: x = hflip(x)
    2. x = random_crop(x, padding, rng)      (pass the Generator on: its stream continues)
    3. b = rng.uniform(1 − jitter, 1 + jitter);  x = adjust_brightness(x, b)
    4. c = rng.uniform(1 − jitter, 1 + jitter);  x = adjust_contrast(x, c)

    Worked example: the x above with rng = 0, padding = 1, jitter = 0.4 gives, rounded,
    [[[0.061, 0.061, 0.255], [0.061, 0.158, 0.352]]].
    """
    rng = np.random.default_rng(rng)
    # TODO: the four steps above, using your own functions.
    raise NotImplementedError

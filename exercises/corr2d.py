"""Exercise corr2d: 2-D cross-correlation of one channel (Dive into Deep Learning §7.1.3).

Check it with:  tutor check corr2d
Only NumPy is allowed: torch and scipy.signal would do the exercise for you.
"""

import numpy as np


def corr2d(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Cross-correlate x with the kernel k: no padding, stride 1, no kernel flip.

    x: (H, W) float array.  k: (kh, kw) float array.
    Returns a float array of shape (H - kh + 1, W - kw + 1) with

        out[i, j] = Σ_a Σ_b  x[i + a, j + b] · k[a, b]

    Worked example:
        x = [[0, 1, 2],      k = [[0, 1],
             [3, 4, 5],           [2, 3]]
             [6, 7, 8]]
        out[0, 0] = 0·0 + 1·1 + 3·2 + 4·3 = 19, and the whole output is [[19, 25], [37, 43]].

    Do not modify x or k.
    """
    # TODO: slide k over x and sum the element-wise products at every position.
    raise NotImplementedError

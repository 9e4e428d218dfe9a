"""Exercise global_avg_pool: one number per channel, the mean of its whole feature map.

Check it with:  tutor check global_avg_pool
Only NumPy is allowed.
"""

import numpy as np


def global_avg_pool(x: np.ndarray) -> np.ndarray:
    """Global average pooling: out[n, c] = (1 / (H·W)) · Σ_i Σ_j x[n, c, i, j].

    x: feature maps, shape (N, C, H, W), float

    Returns a new float array of shape (N, C): each image keeps one value per channel, the mean of
    that channel over every height and width position. It is torch's
    F.adaptive_avg_pool2d(x, 1) with the two trailing 1×1 axes dropped (what nn.Flatten does next).

    Worked example: x of shape (1, 2, 2, 2) with channel 0 = [[1, 2], [3, 4]] and channel 1 all 5
    gives [[2.5, 5.0]], shape (1, 2).

    Do not modify x.
    """
    # TODO: average over the height and width axes only, and return shape (N, C).
    raise NotImplementedError

"""Exercise batch_norm2d: batch normalisation of a convolutional layer's output, in training mode.

Check it with:  tutor check batch_norm2d
Only NumPy is allowed: torch would do the exercise for you.
"""

import numpy as np


def batch_norm2d(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Training-mode BatchNorm2d forward: normalise each channel with the statistics of the batch.

    x: (N, C, H, W)     a batch of feature maps
    gamma, beta: (C,)   the learnable scale and shift, one per channel

    For every channel c, over all N·H·W values of that channel:

        mu[c]  = mean of x[:, c, :, :]
        var[c] = mean of (x[:, c, :, :] − mu[c])²          (biased: divide by N·H·W, not N·H·W − 1)
        out[n, c, i, j] = gamma[c] · (x[n, c, i, j] − mu[c]) / sqrt(var[c] + eps) + beta[c]

    Returns an array of the same shape as x. Do not modify the inputs.

    Worked example: one channel holding the four values 1, 2, 3, 4 (x of shape (2, 1, 1, 2)),
    gamma = [1], beta = [0], eps = 0: mu = 2.5, var = 1.25, out = [−1.342, −0.447, 0.447, 1.342].
    """
    # TODO: reduce over the batch and both spatial axes, then scale and shift per channel.
    raise NotImplementedError

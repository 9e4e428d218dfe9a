"""Exercise max_pool2d: 2-D max pooling over a batch of multi-channel images, like torch.nn.functional.max_pool2d.

Check it with:  tutor check max_pool2d
Only NumPy is allowed.
"""

import numpy as np


def max_pool2d(
    x: np.ndarray,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
) -> np.ndarray:
    """The largest value of each window, for every image and channel separately.

    x:           (N, C, H, W)
    kernel_size: an int, or a pair (kh, kw) along (height, width)
    stride:      an int, a pair, or None, which means stride = kernel_size
    padding:     an int or a pair (ph, pw), at most half the kernel; padded with −inf (padding never wins the max)

    Returns (N, C, H_out, W_out) with H_out = ⌊(H + 2·ph − kh) / sh⌋ + 1 (same for W).

    Worked example: x of shape (1, 1, 4, 4) with kernel_size=2 gives shape (1, 1, 2, 2);
    each output value comes from one of the four non-overlapping 2×2 blocks.

    Do not modify x.
    """
    # TODO: turn kernel_size, stride and padding into pairs; pad with -np.inf, then take the max of every window.
    raise NotImplementedError

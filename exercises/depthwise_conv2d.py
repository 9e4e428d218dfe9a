"""Exercise depthwise_conv2d: the depthwise half of MobileNet's depthwise separable convolution.

Check it with:  tutor check depthwise_conv2d
Only NumPy is allowed: torch and scipy.signal would do the exercise for you.
"""

import numpy as np


def depthwise_conv2d(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
) -> np.ndarray:
    """Depthwise 2-D cross-correlation: channel c of the output sees only channel c of the input.

    x: (N, C, H, W)          a batch of N images with C channels
    w: (C, 1, kh, kw)        one kh×kw filter per channel (PyTorch's layout for groups=C)
    b: (C,) or None          one bias per channel
    stride, padding: an int, or a pair (along the height, along the width), as in conv2d

    Returns (N, C, H_out, W_out), H_out = ⌊(H + 2·ph − kh) / sh⌋ + 1 (same for W), and

        out[n, c, i, j] = b[c] + Σ_a Σ_b  xpad[n, c, i·sh + a, j·sw + b] · w[c, 0, a, b]

    There is no sum over channels: that is the whole point (and the saving).
    This is torch.nn.functional.conv2d(x, w, b, stride, padding, groups=C).

    Worked example: x of shape (2, 3, 6, 6), w of shape (3, 1, 3, 3), padding 1 gives
    (2, 3, 6, 6), computed with 3·3·3 = 27 weights instead of the 81 of a full 3→3 convolution.

    Do not modify x, w or b.
    """
    # TODO: pad, then slide filter c over channel c only.
    raise NotImplementedError

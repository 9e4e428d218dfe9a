"""Exercise conv2d: a convolutional layer's forward pass, the way PyTorch computes it.

Check it with:  tutor check conv2d
Only NumPy is allowed: torch and scipy.signal would do the exercise for you.
"""

import numpy as np


def conv2d(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
) -> np.ndarray:
    """Multi-channel 2-D cross-correlation with bias, stride and zero padding.

    x: (N, C_in, H, W)           a batch of N images with C_in channels
    w: (C_out, C_in, kh, kw)     C_out filters, each spanning every input channel
    b: (C_out,) or None          one bias per filter
    stride, padding: an int, or a pair (along the height, along the width)

    Returns (N, C_out, H_out, W_out), with H_out = ⌊(H + 2·ph − kh) / sh⌋ + 1 (same for W), and

        out[n, o, i, j] = b[o] + Σ_c Σ_a Σ_b  xpad[n, c, i·sh + a, j·sw + b] · w[o, c, a, b]

    where xpad is x with ph rows of zeros above and below and pw columns left and right.
    No kernel flip: this is torch.nn.functional.conv2d.

    Worked example: x of shape (1, 1, 5, 5), w of shape (2, 1, 3, 3), stride 2, padding 1
    gives an output of shape (1, 2, 3, 3), since ⌊(5 + 2 − 3) / 2⌋ + 1 = 3.

    Do not modify x, w or b.
    """
    # TODO: pad, then slide every filter over every image.
    raise NotImplementedError

"""Exercise inception_module: 1×1 convolution as channel mixing, and GoogLeNet's Inception module.

Check it with:  tutor check inception_module
Only NumPy is allowed. The 3×3 and 5×5 convolutions reuse your session-1 conv2d (imported below):
the check tests the conv2d this file uses first, so a bug there is reported as a conv2d bug. If you
prefer, delete the import and define your own function named conv2d in this file.
"""

import numpy as np

from conv2d import conv2d  # noqa: F401 - your exercises/conv2d.py, offered for reuse (run `tutor check conv2d` first)


def conv1x1(x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """A 1×1 convolution: at every pixel, a fully connected layer across the channels.

    x: (N, C_in, H, W)
    w: (C_out, C_in, 1, 1)   the same layout as conv2d's w; w[:, :, 0, 0] is the (C_out, C_in) mixing matrix
    b: (C_out,) or None

        out[n, o, i, j] = b[o] + Σ_c w[o, c, 0, 0] · x[n, c, i, j]

    Returns (N, C_out, H, W): the height and width never change. This is
    torch.nn.functional.conv2d(x, w, b). Do not use a sliding window: one np.einsum (or a matrix
    product after moving the channel axis) does it.

    Worked example: x = np.arange(8.).reshape(1, 2, 2, 2) (channel 0 is [[0, 1], [2, 3]], channel 1
    is [[4, 5], [6, 7]]) and w[:, :, 0, 0] = [[1, 1], [1, -1], [0.5, 0]] give
        channel 0: x0 + x1   = [[4, 6], [8, 10]]
        channel 1: x0 − x1   = [[-4, -4], [-4, -4]]
        channel 2: 0.5 · x0  = [[0, 0.5], [1, 1.5]]
    """
    # TODO: mix the channels at every pixel with w[:, :, 0, 0], then add the bias.
    raise NotImplementedError


def inception_module(x: np.ndarray, params: dict[str, np.ndarray]) -> np.ndarray:
    """GoogLeNet's Inception module: four branches on the same x, concatenated on the channel axis.

    params holds, for each convolution NAME below, NAME_w (C_out, C_in, k, k) and NAME_b (C_out,):

        branch 1:  ReLU(branch1(x))                                        1×1
        branch 2:  ReLU(branch2(ReLU(branch2_reduce(x))))                  1×1, then 3×3 with padding 1
        branch 3:  ReLU(branch3(ReLU(branch3_reduce(x))))                  1×1, then 5×5 with padding 2
        branch 4:  ReLU(branch4(maxpool(x)))                               3×3 max-pool, stride 1, padding 1, then 1×1

    Every convolution has stride 1 and is followed by a ReLU. The max-pool pads with −inf (never
    with zeros) so that the padding never wins. Every branch keeps H and W.

    Returns np.concatenate([branch 1, branch 2, branch 3, branch 4], axis=1), of shape
    (N, c1 + c2 + c3 + c4, H, W) where c1 = branch1_w.shape[0], c2 = branch2_w.shape[0], ...

    Worked example: x (2, 3, 5, 4) with branch widths 2, 3, 2 and 1 returns (2, 8, 5, 4).
    Do not modify x or params.
    """
    # TODO: the four branches (use conv1x1 for the 1×1s and conv2d for the 3×3 and 5×5), then concatenate.
    raise NotImplementedError

"""Exercise inverted_residual: MobileNetV2's inverted residual block, forward and parameter count.

Check it with:  tutor check inverted_residual
Only NumPy is allowed. The 3×3 depthwise layer reuses your depthwise_conv2d (imported below): the
check tests the depthwise_conv2d this file uses first, so a bug there is reported as such. If you
prefer, delete the import and define your own function named depthwise_conv2d in this file.
"""

import numpy as np

from depthwise_conv2d import depthwise_conv2d  # noqa: F401 - your exercises/depthwise_conv2d.py, offered for reuse


def inverted_residual(x: np.ndarray, params: dict[str, np.ndarray], stride: int = 1) -> np.ndarray:
    """The forward pass of MobileNetV2's inverted residual block, BatchNorm folded into the convolutions.

    x: (N, C_in, H, W). With h = t·C_in the expanded width, params holds:
        expand_w     (h, C_in, 1, 1)   expand_b     (h,)       1×1 expansion
        depthwise_w  (h, 1, 3, 3)      depthwise_b  (h,)       3×3 depthwise, stride `stride`, padding 1
        project_w    (C_out, h, 1, 1)  project_b    (C_out,)   1×1 projection
    (Each layer's BatchNorm is already folded into its weights and bias, as at inference time.)

        z   = ReLU6(expand(x))                 ReLU6(v) = min(max(v, 0), 6)
        z   = ReLU6(depthwise(z))
        out = project(z)                       linear bottleneck: NO activation here
        return x + out   if stride == 1 and C_in == C_out,   else out

    Returns (N, C_out, ⌊(H − 1) / stride⌋ + 1, ⌊(W − 1) / stride⌋ + 1).

    Worked example: x (2, 3, 6, 5), t = 4 (h = 12), C_out = 3, stride 1: expansion (2, 12, 6, 5),
    depthwise (2, 12, 6, 5), projection (2, 3, 6, 5), plus x. With stride 2 the result is
    (2, 3, 3, 3) and x is not added. Do not modify x or params.
    """
    # TODO: expand + ReLU6, depthwise + ReLU6, project (linear), then the residual when the shape allows it.
    raise NotImplementedError


def inverted_residual_parameters(c_in: int, c_out: int, t: int) -> int:
    """Learnable parameters of the block as it is trained: three convolutions WITHOUT bias, each
    followed by BatchNorm2d (γ and β per channel; the running mean and variance are not parameters).

        1×1 expansion   c_in → h = t·c_in
        3×3 depthwise   h → h, one 3×3 filter per channel
        1×1 projection  h → c_out

    The expansion is counted for every t, also t = 1 (torchvision leaves it out then; here it stays).

    Worked example: c_in = 24, c_out = 32, t = 6 (h = 144):
        expansion 24·144 + 2·144 = 3,744;  depthwise 9·144 + 2·144 = 1,584;  projection 144·32 + 2·32 = 4,672
        inverted_residual_parameters(24, 32, 6) == 10000
    """
    # TODO: add up the weights of the three convolutions and the γ, β of the three BatchNorms.
    raise NotImplementedError

"""Exercise residual_block: the forward pass of ResNet's basic block, BatchNorm in inference mode.

Check it with:  tutor check residual_block
Only NumPy is allowed. You may reuse your session-1 conv2d (imported below): the check tests
the conv2d this file uses first, so a bug there is reported as a conv2d bug. If you prefer,
delete the import and define your own function named conv2d in this file.
"""

import numpy as np

from conv2d import conv2d  # noqa: F401 - your exercises/conv2d.py, offered for reuse (run `tutor check conv2d` first)

EPS = 1e-5
"""BatchNorm's epsilon, as in torch.nn.BatchNorm2d."""


def residual_block(x: np.ndarray, params: dict[str, np.ndarray], stride: int = 1) -> np.ndarray:
    """y = ReLU( BN2(conv2( ReLU(BN1(conv1(x))) )) + shortcut(x) )

    x: (N, C_in, H, W). params holds named arrays:
        conv1  (C_out, C_in, 3, 3)   3×3, stride `stride`, padding 1, no bias
        conv2  (C_out, C_out, 3, 3)  3×3, stride 1, padding 1, no bias
        bn1_gamma, bn1_beta, bn1_mean, bn1_var, and the same for bn2: each (C_out,)
        proj   (C_out, C_in, 1, 1)   ONLY when stride != 1 or C_in != C_out: a 1×1 convolution of
                                     stride `stride`, no padding, no bias, followed by BN with
                                     proj_bn_gamma, proj_bn_beta, proj_bn_mean, proj_bn_var
    Without proj the shortcut is the identity, shortcut(x) = x.

    BatchNorm in inference mode uses the stored statistics, not the batch's:
        BN(z)[n, c] = gamma[c] · (z[n, c] − mean[c]) / sqrt(var[c] + EPS) + beta[c]

    Returns (N, C_out, ⌊(H − 1) / stride⌋ + 1, ⌊(W − 1) / stride⌋ + 1).

    Worked example: x (2, 3, 6, 6), C_out = 8, stride 2: both branches give (2, 8, 3, 3), and
    only after adding them is the ReLU applied. Do not modify x or params.
    """
    # TODO: main branch, shortcut branch, add, then ReLU.
    raise NotImplementedError

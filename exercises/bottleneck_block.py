"""Exercise bottleneck_block: the forward pass of ResNet's bottleneck block, BatchNorm in inference mode.

Check it with:  tutor check bottleneck_block
Only NumPy is allowed. You may reuse your session-1 conv2d (imported below): the check tests
the conv2d this file uses first, so a bug there is reported as a conv2d bug. If you prefer,
delete the import and define your own function named conv2d in this file.
"""

import numpy as np

from conv2d import conv2d  # noqa: F401 - your exercises/conv2d.py, offered for reuse (run `tutor check conv2d` first)

EPS = 1e-5
"""BatchNorm's epsilon, as in torch.nn.BatchNorm2d."""


def bottleneck_block(x: np.ndarray, params: dict[str, np.ndarray], stride: int = 1) -> np.ndarray:
    """y = ReLU( BN3(conv3( ReLU(BN2(conv2( ReLU(BN1(conv1(x))) ))) )) + shortcut(x) )

    x: (N, C_in, H, W). With width = params["conv1"].shape[0] and C_out = 4·width (the expansion),
    params holds named arrays:
        conv1  (width, C_in, 1, 1)    1×1, stride 1, no padding, no bias   (reduce)
        conv2  (width, width, 3, 3)   3×3, stride `stride`, padding 1, no bias
        conv3  (C_out, width, 1, 1)   1×1, stride 1, no padding, no bias   (expand ×4)
        bn1_gamma, bn1_beta, bn1_mean, bn1_var: each (width,); the same for bn2 (width,) and bn3 (C_out,)
        proj   (C_out, C_in, 1, 1)    ONLY when stride != 1 or C_in != C_out: a 1×1 convolution of
                                      stride `stride`, no padding, no bias, followed by BN with
                                      proj_bn_gamma, proj_bn_beta, proj_bn_mean, proj_bn_var
    Without proj the shortcut is the identity, shortcut(x) = x.

    The stride sits on the 3×3 convolution (torchvision's ResNet v1.5), not on the first 1×1.

    BatchNorm in inference mode uses the stored statistics, not the batch's:
        BN(z)[n, c] = gamma[c] · (z[n, c] − mean[c]) / sqrt(var[c] + EPS) + beta[c]

    Returns (N, 4·width, ⌊(H − 1) / stride⌋ + 1, ⌊(W − 1) / stride⌋ + 1).

    Worked example: x (2, 16, 8, 8), width 4, stride 2: conv1 gives (2, 4, 8, 8), conv2 (2, 4, 4, 4),
    conv3 (2, 16, 4, 4); the projection maps x to (2, 16, 4, 4); the sum goes through one ReLU.
    Do not modify x or params.
    """
    # TODO: the three convolutions of the main branch, the shortcut, add, then ReLU.
    raise NotImplementedError

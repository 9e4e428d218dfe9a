"""Exercise max_pool2d_backward: route each window's gradient to the element that won its max.

Check it with:  tutor check max_pool2d_backward
Only NumPy is allowed: torch would do the exercise for you.
"""

import numpy as np


def max_pool2d_backward(
    dout: np.ndarray,
    x: np.ndarray,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
) -> np.ndarray:
    """Backward pass of out = max_pool2d(x, kernel_size, stride, padding), the max_pool2d exercise.

    dout: (N, C, H_out, W_out)   dL/dout, the gradient arriving from the layer above
    x:    (N, C, H, W)           the forward pass's input
    kernel_size, stride, padding: ints or (h, w) pairs; stride None means stride = kernel_size;
    the padding is −inf, so it never wins a max.

    out[n, c, i, j] is ONE element of its window, so the whole of dout[n, c, i, j] goes to that
    element and nothing to the others:

        dx_pad[n, c, winner] += dout[n, c, i, j]

    Ties: when several elements equal the max, the winner is the FIRST in row-major window order
    (top row first, then left to right), as in PyTorch: np.argmax of the flattened window.
    Overlapping windows (stride < kernel) may pick the same element: add, never overwrite.
    dx is dx_pad without its padded border. Returns a new float array shaped like x.

    Worked example: x = [[1, 3, 3], [3, 0, 3], [2, 3, 1]], kernel 2, stride 1, dout = ones((2, 2)):
    the windows pick (0, 1), (0, 1), (1, 0) and (1, 2), so dx = [[0, 2, 0], [1, 0, 1], [0, 0, 0]].
    """
    # TODO: pad with -inf, then for every output pixel add dout to the first argmax of its window.
    raise NotImplementedError

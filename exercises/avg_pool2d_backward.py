"""Exercise avg_pool2d_backward: share each window's gradient equally among its cells.

Check it with:  tutor check avg_pool2d_backward
Only NumPy is allowed: torch would do the exercise for you.
"""

import numpy as np


def avg_pool2d_backward(
    dout: np.ndarray,
    x_shape: tuple[int, int, int, int],
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
) -> np.ndarray:
    """Backward pass of out = avg_pool2d(x, kernel_size, stride, padding), the avg_pool2d exercise.

    dout:    (N, C, H_out, W_out)   dL/dout, the gradient arriving from the layer above
    x_shape: (N, C, H, W)           the shape of the forward pass's input (its values do not matter)
    kernel_size, stride, padding: ints or (h, w) pairs; stride None means stride = kernel_size.

    The forward pass divides every window's sum by kh·kw, padded zeros included
    (count_include_pad=True), so every cell of window (i, j) receives the same share:

        dx_pad[n, c, i·sh : i·sh + kh, j·sw : j·sw + kw] += dout[n, c, i, j] / (kh·kw)

    Overlapping windows (stride < kernel) add up. dx is dx_pad without its padded border.
    Returns a new float array of shape x_shape.

    Worked example: x_shape = (1, 1, 2, 3), kernel 2, stride 1, dout = [[4, 8]]:
    dx = [[1, 3, 2], [1, 3, 2]] (the middle column is in both windows: 4/4 + 8/4).
    """
    # TODO: for every output pixel, add dout / (kh·kw) to its whole window of dx_pad; crop the border.
    raise NotImplementedError

"""Exercise conv2d_backward: the gradients of a convolution with respect to its input, weights and bias.

Check it with:  tutor check conv2d_backward
Only NumPy is allowed: torch would do the exercise for you.
"""

import numpy as np


def conv2d_backward(
    dout: np.ndarray,
    x: np.ndarray,
    w: np.ndarray,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass of out = conv2d(x, w, b, stride, padding), the forward of the conv2d exercise.

    dout: (N, C_out, H_out, W_out)   dL/dout, the gradient arriving from the layer above
    x:    (N, C_in, H, W)            the forward pass's input
    w:    (C_out, C_in, kh, kw)      the forward pass's filters
    stride, padding: an int or an (h, w) pair, as in conv2d

    The forward pass, with x_pad = x zero-padded by (ph, pw) on both sides of H and W:

        out[n, o, i, j] = b[o] + Σ_c Σ_a Σ_b x_pad[n, c, i·sh + a, j·sw + b] · w[o, c, a, b]

    so, by the chain rule (each output pixel sends dout back along the products that made it):

        dw[o, c, a, b]                 = Σ_n Σ_i Σ_j dout[n, o, i, j] · x_pad[n, c, i·sh + a, j·sw + b]
        dx_pad[n, c, i·sh + a, j·sw + b] += Σ_o dout[n, o, i, j] · w[o, c, a, b]     (windows overlap: add)
        db[o]                          = Σ_n Σ_i Σ_j dout[n, o, i, j]
        dx = dx_pad without its padded border, shape (N, C_in, H, W)

    Returns (dx, dw, db) with the shapes of x, w and (C_out,). Do not modify the inputs.

    Worked example: x = [[0, 1, 2], [3, 4, 5], [6, 7, 8]], w = [[1, 2], [3, 4]] (one channel, one
    filter, stride 1, no padding), dout = ones((1, 1, 2, 2)):
    dx = [[1, 3, 2], [4, 10, 6], [3, 7, 4]], dw = [[8, 12], [20, 24]], db = [4].
    """
    # TODO: pad x, then for every output pixel add its share to dx_pad and dw; sum dout for db.
    raise NotImplementedError

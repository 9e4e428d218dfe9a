"""Exercise batch_norm2d_backward: the gradients of training-mode batch normalisation.

Check it with:  tutor check batch_norm2d_backward
Only NumPy is allowed: torch would do the exercise for you.
"""

import numpy as np


def batch_norm2d_backward(
    dout: np.ndarray, x: np.ndarray, gamma: np.ndarray, eps: float = 1e-5
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass of the batch_norm2d exercise (training mode): out = gamma · x̂ + beta.

    dout:  (N, C, H, W)   dL/dout, the gradient arriving from the layer above
    x:     (N, C, H, W)   the forward pass's input
    gamma: (C,)           the scale (beta does not appear in any gradient)

    Per channel c, over its m = N·H·W values (means below are over axes (0, 2, 3)):

        mu = mean(x),  var = mean((x − mu)²)   (biased),  x̂ = (x − mu) / sqrt(var + eps)

        dbeta  = Σ dout                         shape (C,)
        dgamma = Σ dout · x̂                     shape (C,)
        dx     = gamma / sqrt(var + eps) · (dout − mean(dout) − x̂ · mean(dout · x̂))

    The two subtracted means are the gradient flowing through mu and through var: both are
    computed from x. Returns (dx, dgamma, dbeta). Do not modify the inputs.

    Worked example: one channel holding 1, 2, 3, 4 (x of shape (2, 1, 1, 2)), gamma = [1],
    eps = 2.75 (so sqrt(var + eps) = 2), dout = [1, 0, 0, 0]:
    dx = [0.3047, −0.1484, −0.1016, −0.0547], dgamma = [−0.75], dbeta = [1].
    """
    # TODO: recompute mu, var and x̂ per channel, then the three gradients above.
    raise NotImplementedError

"""Exercise dropout: inverted dropout in training mode, forward and backward, with a seeded generator.

Check it with:  tutor check dropout
Only NumPy is allowed.

Randomness comes only from `rng`: it may be a np.random.Generator or an int seed, and the line
`rng = np.random.default_rng(rng)` turns a seed into a Generator and leaves a Generator as it is.
"""

import numpy as np


def dropout(x: np.ndarray, p: float, rng: np.random.Generator | int) -> tuple[np.ndarray, np.ndarray]:
    """Inverted dropout, training mode (what torch.nn.functional.dropout(x, p, training=True) does).

    x:   activations, any shape, float
    p:   the probability of DROPPING a unit, 0 <= p < 1
    rng: a np.random.Generator or an int seed

        keep = rng.random(x.shape) >= p          (one draw per unit, a boolean mask)
        out  = x · keep / (1 − p)                (kept units scaled up, so E[out] = x)

    Returns (out, keep): out a new float array of x's shape, keep the boolean mask of x's shape.
    Draw the mask exactly as above: the same seed must drop the same units.

    Worked example: x = [[1, 2, 3, 4], [-1, 0.5, 2, -2]], p = 0.5, rng = 1. The draws are
    [[0.51, 0.95, 0.14, 0.95], [0.31, 0.42, 0.83, 0.41]], so keep = [[T, T, F, T], [F, F, T, F]]
    and out = [[2, 4, 0, 8], [0, 0, 4, 0]]: kept units doubled, dropped ones 0.
    """
    rng = np.random.default_rng(rng)
    # TODO: draw keep = rng.random(x.shape) >= p, then scale the kept units by 1 / (1 − p).
    raise NotImplementedError


def dropout_backward(dout: np.ndarray, keep: np.ndarray, p: float) -> np.ndarray:
    """The gradient of dropout's out with respect to x, given the upstream gradient dout.

    dout: dL/dout, the shape of x;   keep: the mask dropout returned;   p: the same p

    out = x · keep / (1 − p) is linear in x, so dx = dout · keep / (1 − p): zero where the unit was
    dropped, scaled by 1 / (1 − p) where it was kept.

    Returns dx, a new float array of dout's shape.
    """
    # TODO: reuse the forward pass's mask and scale.
    raise NotImplementedError

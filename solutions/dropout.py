"""Reference solution for dropout."""

import numpy as np


def dropout(x: np.ndarray, p: float, rng: np.random.Generator | int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(rng)
    # One uniform draw per unit; a unit survives with probability 1 − p.
    keep = rng.random(x.shape) >= p
    # Inverted dropout: scale the survivors NOW, by 1 / (1 − p), so that E[out] = x and the network
    # needs no change at test time (where dropout is simply switched off).
    return x * keep / (1 - p), keep


def dropout_backward(dout: np.ndarray, keep: np.ndarray, p: float) -> np.ndarray:
    # out = x · keep / (1 − p) is linear in x: the same mask and the same scale apply to the gradient.
    return dout * keep / (1 - p)

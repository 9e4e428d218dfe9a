"""Reference solution for optimizers."""

import numpy as np


def sgd_momentum_step(
    param: np.ndarray, grad: np.ndarray, velocity: np.ndarray, lr: float, momentum: float
) -> tuple[np.ndarray, np.ndarray]:
    # torch's form: the velocity accumulates whole gradients (no (1 − μ) damping, no lr), and the
    # learning rate multiplies the step. Changing lr mid-training then rescales the step at once.
    velocity = momentum * velocity + grad
    return param - lr * velocity, velocity


def adam_step(
    param: np.ndarray,
    grad: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    t: int,
    lr: float,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    beta1, beta2 = betas
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    # m and v start at 0, so early averages are biased towards 0: after t steps of a constant
    # gradient g, m = (1 − β1^t)·g. Dividing by (1 − β^t) removes that bias. The corrected values
    # are used for this step only: the state keeps the plain moving averages.
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v

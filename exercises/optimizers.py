"""Exercise optimizers: one step of SGD with momentum and one step of Adam, exactly as torch.optim.

Check it with:  tutor check optimizers
Only NumPy is allowed. Return NEW arrays: do not modify param, grad or the state you are given.
"""

import numpy as np


def sgd_momentum_step(
    param: np.ndarray, grad: np.ndarray, velocity: np.ndarray, lr: float, momentum: float
) -> tuple[np.ndarray, np.ndarray]:
    """One step of SGD with momentum, as torch.optim.SGD(params, lr=lr, momentum=momentum):

        velocity ← momentum · velocity + grad
        param    ← param − lr · velocity

    param, grad, velocity: arrays of the same shape (velocity is all zeros before the first step)
    lr, momentum:          floats, e.g. 0.1 and 0.9

    Returns (new_param, new_velocity), two new arrays of param's shape.

    Worked example: param [1.0], grad [0.5], velocity [0.0], lr 0.1, momentum 0.9
    -> velocity 0.9·0 + 0.5 = [0.5], param 1 − 0.1·0.5 = [0.95]. Next step, grad [0.5] again:
    velocity 0.9·0.5 + 0.5 = [0.95], param 0.95 − 0.095 = [0.855].
    """
    # TODO: update the velocity first, then step the parameter with the NEW velocity.
    raise NotImplementedError


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
    """One step of Adam, as torch.optim.Adam(params, lr=lr, betas=betas, eps=eps):

        m ← β1 · m + (1 − β1) · grad            (moving average of the gradient)
        v ← β2 · v + (1 − β2) · grad²           (moving average of its square)
        m̂ = m / (1 − β1^t),   v̂ = v / (1 − β2^t)   (bias correction: m and v start at 0)
        param ← param − lr · m̂ / (√v̂ + eps)

    param, grad, m, v: arrays of the same shape (m and v are zeros before the first step)
    t:                 the number of THIS step: 1 for the first step, 2 for the second, ...
    lr, betas, eps:    floats; betas = (β1, β2)

    Returns (new_param, new_m, new_v): the new m and v WITHOUT the bias correction.

    Worked example (first step, t = 1): param [1.0], grad [0.5], m = v = [0.0], lr 0.1:
    m = [0.05], v = [0.00025], m̂ = [0.5], v̂ = [0.25], param 1 − 0.1·0.5/0.5 = [0.9].
    """
    # TODO: update m and v, correct their bias with β^t, then step the parameter.
    raise NotImplementedError

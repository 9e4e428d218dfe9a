# expect: passed
import math

import numpy as np


def sgd_momentum_step(param, grad, velocity, lr, momentum):
    new_param = np.empty_like(param, dtype=float)
    new_velocity = np.empty_like(velocity, dtype=float)
    for index in np.ndindex(param.shape):
        new_velocity[index] = momentum * velocity[index] + grad[index]
        new_param[index] = param[index] - lr * new_velocity[index]
    return new_param, new_velocity


def adam_step(param, grad, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8):
    b1, b2 = betas
    p2, m2, v2 = (np.empty_like(a, dtype=float) for a in (param, m, v))
    for i in np.ndindex(param.shape):
        m2[i] = b1 * m[i] + (1 - b1) * grad[i]
        v2[i] = b2 * v[i] + (1 - b2) * grad[i] * grad[i]
        p2[i] = param[i] - lr * (m2[i] / (1 - b1**t)) / (math.sqrt(v2[i] / (1 - b2**t)) + eps)
    return p2, m2, v2

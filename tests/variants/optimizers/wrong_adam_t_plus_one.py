# expect: failed | one step ahead
import numpy as np


def sgd_momentum_step(param, grad, velocity, lr, momentum):
    velocity = momentum * velocity + grad
    return param - lr * velocity, velocity


def adam_step(param, grad, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8):
    t = t + 1  # "increment the step counter"
    b1, b2 = betas
    m = b1 * m + (1 - b1) * grad
    v = b2 * v + (1 - b2) * grad**2
    return param - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps), m, v

# expect: passed
import numpy as np


def sgd_momentum_step(param, grad, velocity, lr, momentum):
    v = velocity.copy()
    v *= momentum
    v += grad
    p = param.copy()
    p -= lr * v
    return p, v


def adam_step(param, grad, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8):
    m, v, p = m.copy(), v.copy(), param.copy()
    m *= betas[0]
    m += (1 - betas[0]) * grad
    v *= betas[1]
    v += (1 - betas[1]) * np.square(grad)
    p -= lr * (m / (1 - betas[0] ** t)) / (np.sqrt(v / (1 - betas[1] ** t)) + eps)
    return p, m, v

# expect: passed
import numpy as np


def sgd_momentum_step(param, grad, velocity, lr, momentum):
    velocity = velocity.astype(np.float32) * np.float32(momentum) + grad.astype(np.float32)
    return param.astype(np.float32) - np.float32(lr) * velocity, velocity


def adam_step(param, grad, m, v, t, lr, betas=(0.9, 0.999), eps=1e-8):
    # torch's own arrangement: step_size = lr / bc1, denom = sqrt(v) / sqrt(bc2) + eps
    beta1, beta2 = betas
    m = m * beta1 + grad * (1 - beta1)
    v = v * beta2 + grad * grad * (1 - beta2)
    bias_correction1 = 1 - beta1**t
    bias_correction2 = 1 - beta2**t
    denom = np.sqrt(v) / np.sqrt(bias_correction2) + eps
    return param - (lr / bias_correction1) * m / denom, m, v

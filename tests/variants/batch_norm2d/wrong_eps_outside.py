# expect: failed | eps outside the square root


def batch_norm2d(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=(0, 2, 3), keepdims=True)
    std = x.std(axis=(0, 2, 3), keepdims=True)
    return gamma[None, :, None, None] * (x - mu) / (std + eps) + beta[None, :, None, None]

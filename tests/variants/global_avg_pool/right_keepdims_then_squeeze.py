# expect: passed
import numpy as np


def global_avg_pool(x):
    pooled = np.mean(x, axis=(-2, -1), keepdims=True)  # (N, C, 1, 1), like nn.AdaptiveAvgPool2d(1)
    return pooled[:, :, 0, 0]

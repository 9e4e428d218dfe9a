# expect: passed
# One strided slice per kernel tap, accumulated.
import numpy as np
def depthwise_conv2d(x, w, b=None, stride=1, padding=0):
    if not isinstance(stride, (tuple, list)): stride = (stride, stride)
    if not isinstance(padding, (tuple, list)): padding = (padding, padding)
    N, C, H, W = x.shape
    kh, kw = w.shape[-2:]
    xp = np.pad(x, [(0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2])
    Ho = (H + 2 * padding[0] - kh) // stride[0] + 1
    Wo = (W + 2 * padding[1] - kw) // stride[1] + 1
    out = np.zeros((N, C, Ho, Wo), dtype=x.dtype)
    for a in range(kh):
        for c in range(kw):
            patch = xp[:, :, a:a + stride[0] * (Ho - 1) + 1:stride[0], c:c + stride[1] * (Wo - 1) + 1:stride[1]]
            out += patch * w[:, 0, a, c].reshape(1, C, 1, 1)
    if b is not None:
        out += b.reshape(1, C, 1, 1)
    return out

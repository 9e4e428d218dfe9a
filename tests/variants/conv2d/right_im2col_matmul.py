# expect: passed
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    if isinstance(stride, int):
        stride = (stride, stride)
    if isinstance(padding, int):
        padding = (padding, padding)
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    xp = np.zeros((n, c, h + 2 * padding[0], wd + 2 * padding[1]), dtype=np.float32)
    xp[:, :, padding[0]:padding[0] + h, padding[1]:padding[1] + wd] = x
    ho = (h + 2 * padding[0] - kh) // stride[0] + 1
    wo = (wd + 2 * padding[1] - kw) // stride[1] + 1
    cols = np.empty((n, c * kh * kw, ho * wo), dtype=np.float32)
    for i in range(ho):
        for j in range(wo):
            patch = xp[:, :, i * stride[0]:i * stride[0] + kh, j * stride[1]:j * stride[1] + kw]
            cols[:, :, i * wo + j] = patch.reshape(n, -1)
    out = (w.reshape(o, -1).astype(np.float32) @ cols).reshape(n, o, ho, wo)
    if b is not None:
        out = out + b[:, None, None]
    return out

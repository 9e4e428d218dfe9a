# expect: passed
# Every step with explicit loops: conv2d, the 1×1 mixing and the max-pool.
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, c_in, hp, wp = xp.shape
    c_out, _, kh, kw = w.shape
    out = np.zeros((n, c_out, (hp - kh) // sh + 1, (wp - kw) // sw + 1))
    for i in range(out.shape[2]):
        for j in range(out.shape[3]):
            for o in range(c_out):
                out[:, o, i, j] = (xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw] * w[o]).sum(axis=(1, 2, 3))
                if b is not None:
                    out[:, o, i, j] += b[o]
    return out


def conv1x1(x, w, b=None):
    n, c_in, h, wd = x.shape
    out = np.zeros((n, w.shape[0], h, wd))
    for o in range(w.shape[0]):
        for c in range(c_in):
            out[:, o] += w[o, c, 0, 0] * x[:, c]
        if b is not None:
            out[:, o] += b[o]
    return out


def max_pool_same(x):
    n, c, h, wd = x.shape
    out = np.empty_like(x)
    for i in range(h):
        for j in range(wd):
            # Only the cells inside the image: the same as padding with -inf.
            out[:, :, i, j] = x[:, :, max(i - 1, 0) : i + 2, max(j - 1, 0) : j + 2].max(axis=(2, 3))
    return out


def inception_module(x, params):
    def layer(z, name, padding=0):
        w, b = params[name + "_w"], params[name + "_b"]
        z = conv1x1(z, w, b) if w.shape[2] == 1 else conv2d(z, w, b, padding=padding)
        return np.maximum(z, 0.0)

    b1 = layer(x, "branch1")
    b2 = layer(layer(x, "branch2_reduce"), "branch2", 1)
    b3 = layer(layer(x, "branch3_reduce"), "branch3", 2)
    b4 = layer(max_pool_same(x), "branch4")
    return np.concatenate([b1, b2, b3, b4], axis=1)

# expect: passed
# The 1×1 convolution as a matrix product after moving the channel axis, in float32.
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    windows = sliding_window_view(xp, w.shape[2:], axis=(2, 3))[:, :, ::sh, ::sw]
    out = np.einsum("nchwab,ocab->nohw", windows, w)
    return out if b is None else out + b[None, :, None, None]


def conv1x1(x, w, b=None):
    x32 = np.moveaxis(x.astype(np.float32), 1, -1)  # (N, H, W, C_in)
    out = x32 @ w[:, :, 0, 0].T.astype(np.float32)  # (N, H, W, C_out)
    if b is not None:
        out = out + b.astype(np.float32)
    return np.moveaxis(out, -1, 1)


def inception_module(x, params):
    def p(name):
        return params[name + "_w"], params[name + "_b"]

    relu = lambda z: np.maximum(z, 0)  # noqa: E731
    pooled = sliding_window_view(np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-np.inf), (3, 3), axis=(2, 3)).max(axis=(4, 5))
    return np.concatenate(
        [
            relu(conv1x1(x, *p("branch1"))),
            relu(conv2d(relu(conv1x1(x, *p("branch2_reduce"))), *p("branch2"), padding=1)),
            relu(conv2d(relu(conv1x1(x, *p("branch3_reduce"))), *p("branch3"), padding=2)),
            relu(conv1x1(pooled, *p("branch4"))),
        ],
        axis=1,
    )

# expect: passed
# float32 arithmetic, tensordot for the 1×1 layers, sliding windows for the depthwise one.
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def depthwise_conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    windows = sliding_window_view(xp, w.shape[2:], axis=(2, 3))[:, :, ::sh, ::sw]
    out = np.einsum("nchwab,cab->nchw", windows, w[:, 0])
    return out if b is None else out + b[None, :, None, None]


def pointwise(z, w, b):
    out = np.tensordot(w[:, :, 0, 0].astype(np.float32), z.astype(np.float32), axes=([1], [1]))  # (O, N, H, W)
    return np.transpose(out, (1, 0, 2, 3)) + b.astype(np.float32)[None, :, None, None]


def inverted_residual(x, params, stride=1):
    hidden = np.clip(pointwise(x, params["expand_w"], params["expand_b"]), 0, 6)
    hidden = np.clip(depthwise_conv2d(hidden, params["depthwise_w"].astype(np.float32), params["depthwise_b"], stride, 1), 0, 6)
    out = pointwise(hidden, params["project_w"], params["project_b"])
    if stride != 1 or out.shape != x.shape:
        return out
    return out + x


def inverted_residual_parameters(c_in, c_out, t):
    h = t * c_in
    weights = c_in * h + 3 * 3 * h + h * c_out
    return weights + 2 * (2 * h + c_out)

# expect: passed
# float32 throughout, BN folded into a scale and a shift, 1×1 convolutions as einsum, own 3×3 conv.
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv2d(x, w, b=None, stride=1, padding=0):
    s = stride if isinstance(stride, tuple) else (stride, stride)
    p = padding if isinstance(padding, tuple) else (padding, padding)
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    win = sliding_window_view(xp, w.shape[2:], axis=(2, 3))[:, :, :: s[0], :: s[1]]
    out = np.einsum("nchwij,ocij->nohw", win, w)
    return out if b is None else out + b[None, :, None, None]


def bottleneck_block(x, params, stride=1):
    x32 = x.astype(np.float32)
    P = {k: v.astype(np.float32) for k, v in params.items()}

    def bn(z, n):
        scale = P[n + "_gamma"] / np.sqrt(P[n + "_var"] + np.float32(1e-5))
        return z * scale[:, None, None] + (P[n + "_beta"] - P[n + "_mean"] * scale)[:, None, None]

    def pointwise(z, w, s=1):
        return np.einsum("oc,nchw->nohw", w[:, :, 0, 0], z[:, :, ::s, ::s])

    out = np.maximum(bn(pointwise(x32, P["conv1"]), "bn1"), 0)
    out = np.maximum(bn(conv2d(out, P["conv2"], stride=stride, padding=1), "bn2"), 0)
    out = bn(pointwise(out, P["conv3"]), "bn3")
    sc = bn(pointwise(x32, P["proj"], stride), "proj_bn") if "proj" in P else x32
    return np.maximum(out + sc, 0)

# expect: wrong_shape | projection has padding 1
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    kh, kw = w.shape[2:]
    h_out, w_out = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
    out = np.zeros((x.shape[0], w.shape[0], h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            out[:, :, i, j] = np.einsum("ncab,ocab->no", xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw], w)
    return out if b is None else out + b[None, :, None, None]


def bn(z, p, name, eps=1e-5):
    g, b, m, v = (p[f"{name}_{k}"][None, :, None, None] for k in ("gamma", "beta", "mean", "var"))
    return g * (z - m) / np.sqrt(v + eps) + b


def residual_block(x, params, stride=1):
    out = np.maximum(bn(conv2d(x, params["conv1"], stride=stride, padding=1), params, "bn1"), 0)
    out = bn(conv2d(out, params["conv2"], padding=1), params, "bn2")
    # the projection given the 3×3 convolutions' padding too
    shortcut = bn(conv2d(x, params["proj"], stride=stride, padding=1), params, "proj_bn") if "proj" in params else x
    return np.maximum(out + shortcut, 0)

# expect: failed | where the block has no residual
# The residual added whenever x and the output have the same shape, instead of by the stride rule.
import numpy as np


def depthwise_conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    kh, kw = w.shape[2:]
    h_out, w_out = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
    out = np.zeros((x.shape[0], x.shape[1], h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            out[:, :, i, j] = np.einsum("ncab,cab->nc", xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw], w[:, 0])
    return out if b is None else out + b[None, :, None, None]


def _pw(z, w, b):
    return np.einsum("oc,nchw->nohw", w[:, :, 0, 0], z) + b[None, :, None, None]


def inverted_residual(x, params, stride=1):
    z = np.clip(_pw(x, params["expand_w"], params["expand_b"]), 0, 6)
    z = np.clip(depthwise_conv2d(z, params["depthwise_w"], params["depthwise_b"], stride=stride, padding=1), 0, 6)
    out = _pw(z, params["project_w"], params["project_b"])
    if out.shape == x.shape:
        out = out + x
    return out


def inverted_residual_parameters(c_in, c_out, t):
    h = c_in * t
    return h * c_in + h + h * 9 + h + c_out * h + c_out

# expect: failed | 2·c_out became 2·c_in·t
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


def relu6(z):
    return np.clip(z, 0, 6)


def relu(z):
    return np.maximum(z, 0)


def pointwise(z, w, b):
    return np.einsum("oc,nchw->nohw", w[:, :, 0, 0], z) + b[None, :, None, None]


def inverted_residual(x, params, stride=1):
    p = params
    z = relu6(pointwise(x, p["expand_w"], p["expand_b"]))
    z = relu6(depthwise_conv2d(z, p['depthwise_w'], p['depthwise_b'], stride=stride, padding=1))
    out = pointwise(z, p["project_w"], p["project_b"])
    out = out
    if stride == 1 and x.shape[1] == out.shape[1]:
        return x + out
    return out


def inverted_residual_parameters(c_in, c_out, t):
    h = t * c_in
    # the projection's batch norm counted on the hidden width instead of its own c_out outputs
    return (c_in * h + 2 * h) + (9 * h + 2 * h) + (h * c_out + 2 * h)

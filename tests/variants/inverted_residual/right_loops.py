# expect: passed
# Plain loops everywhere; ReLU6 as min(max(z, 0), 6).
import numpy as np


def depthwise_conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, c, hp, wp = xp.shape
    kh, kw = w.shape[2:]
    out = np.zeros((n, c, (hp - kh) // sh + 1, (wp - kw) // sw + 1))
    for ch in range(c):
        for i in range(out.shape[2]):
            for j in range(out.shape[3]):
                out[:, ch, i, j] = (xp[:, ch, i * sh : i * sh + kh, j * sw : j * sw + kw] * w[ch, 0]).sum(axis=(1, 2))
        if b is not None:
            out[:, ch] += b[ch]
    return out


def pointwise(z, w, b):
    out = np.zeros((z.shape[0], w.shape[0], z.shape[2], z.shape[3]))
    for o in range(w.shape[0]):
        for c in range(w.shape[1]):
            out[:, o] += w[o, c, 0, 0] * z[:, c]
        out[:, o] += b[o]
    return out


def inverted_residual(x, params, stride=1):
    z = np.minimum(np.maximum(pointwise(x, params["expand_w"], params["expand_b"]), 0), 6)
    z = np.minimum(np.maximum(depthwise_conv2d(z, params["depthwise_w"], params["depthwise_b"], stride, 1), 0), 6)
    out = pointwise(z, params["project_w"], params["project_b"])
    use_residual = stride == 1 and x.shape[1] == out.shape[1]
    return out + x if use_residual else out


def inverted_residual_parameters(c_in, c_out, t):
    total = 0
    for fan_in, channels, per_filter in ((c_in, t * c_in, None), (1, t * c_in, 9), (t * c_in, c_out, None)):
        total += channels * (per_filter or fan_in)  # weights, no bias
        total += 2 * channels  # BatchNorm gamma and beta
    return total

# expect: passed
# im2col conv2d: every window as a row, one matrix product; BN written with reshape.
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, c, hp, wp = xp.shape
    o, _, kh, kw = w.shape
    ho, wo = (hp - kh) // sh + 1, (wp - kw) // sw + 1
    cols = np.empty((n, ho, wo, c * kh * kw))
    for i in range(ho):
        for j in range(wo):
            cols[:, i, j] = xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw].reshape(n, -1)
    out = (cols @ w.reshape(o, -1).T).transpose(0, 3, 1, 2)
    return out if b is None else out + b[None, :, None, None]


def bottleneck_block(x, params, stride=1):
    def bn(z, name):
        g, b, m, v = (params[f"{name}_{k}"].reshape(1, -1, 1, 1) for k in ("gamma", "beta", "mean", "var"))
        return (z - m) / np.sqrt(v + 1e-5) * g + b

    relu = lambda z: np.where(z > 0, z, 0.0)  # noqa: E731
    main = relu(bn(conv2d(x, params["conv1"]), "bn1"))
    main = relu(bn(conv2d(main, params["conv2"], stride=(stride, stride), padding=(1, 1)), "bn2"))
    main = bn(conv2d(main, params["conv3"]), "bn3")
    if "proj" in params:
        return relu(main + bn(conv2d(x, params["proj"], stride=stride), "proj_bn"))
    return relu(main + x)

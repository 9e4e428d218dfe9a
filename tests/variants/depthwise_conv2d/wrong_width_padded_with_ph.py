# expect: failed | ph columns of padding on the left || no padding (ph = 0 there) on the left
import numpy as np


def depthwise_conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    n, c, height, width = x.shape
    kh, kw = w.shape[2:]
    h_out = (height + 2 * ph - kh) // sh + 1
    w_out = (width + 2 * pw - kw) // sw + 1
    out = np.zeros((n, c, h_out, w_out))
    for channel in range(c):
        plane = np.pad(x[:, channel], ((0, 0), (ph, ph), (ph, ph)))  # the width padded with ph too
        for i in range(h_out):
            for j in range(w_out):
                window = plane[:, i * sh : i * sh + kh, j * sw : j * sw + kw]
                out[:, channel, i, j] = (window * w[channel, 0, : window.shape[1], : window.shape[2]]).sum(axis=(1, 2))
    if b is not None:
        out += b[None, :, None, None]
    return out

# expect: failed | ignores the stride
# dx as a full convolution with the flipped kernel, but dout is not dilated by the stride.
import numpy as np


def conv2d_backward(dout, x, w, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    kh, kw = w.shape[2:]
    h, wd = x.shape[2:]
    dpad = np.pad(dout, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    wf = w[:, :, ::-1, ::-1]
    hf, wf_ = dpad.shape[2] - kh + 1, dpad.shape[3] - kw + 1
    full = np.zeros((x.shape[0], x.shape[1], hf, wf_))
    for i in range(hf):
        for j in range(wf_):
            full[:, :, i, j] = np.einsum("noab,ocab->nc", dpad[:, :, i : i + kh, j : j + kw], wf)
    dx = full[:, :, ph : ph + h, pw : pw + wd]
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    dw = np.zeros(w.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            dw += np.einsum(
                "no,ncab->ocab", dout[:, :, i, j], xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
            )
    return dx, dw, dout.sum(axis=(0, 2, 3))

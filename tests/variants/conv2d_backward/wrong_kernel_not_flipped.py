# expect: failed | unflipped
# dx as a full convolution of the dilated dout, but with the kernel NOT rotated by 180°.
import numpy as np


def conv2d_backward(dout, x, w, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    n, c_in, h, wd = x.shape
    kh, kw = w.shape[2:]
    h_out, w_out = dout.shape[2:]
    dil = np.zeros((n, dout.shape[1], (h_out - 1) * sh + 1, (w_out - 1) * sw + 1))
    dil[:, :, ::sh, ::sw] = dout
    dpad = np.pad(dil, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    hf, wf = dpad.shape[2] - kh + 1, dpad.shape[3] - kw + 1
    dxp = np.zeros((n, c_in, h + 2 * ph, wd + 2 * pw))
    for i in range(hf):
        for j in range(wf):
            dxp[:, :, i, j] = np.einsum("noab,ocab->nc", dpad[:, :, i : i + kh, j : j + kw], w)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    dw = np.zeros(w.shape)
    for i in range(h_out):
        for j in range(w_out):
            dw += np.einsum(
                "no,ncab->ocab", dout[:, :, i, j], xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
            )
    return dxp[:, :, ph : ph + h, pw : pw + wd], dw, dout.sum(axis=(0, 2, 3))

# expect: passed
# dx as a full convolution of the dilated dout with the flipped kernel (channels swapped);
# dw as the correlation of x_pad with the dilated dout.
import numpy as np


def _correlate(a, k):
    """a (N, C, H, W), k (O, C, kh, kw) -> (N, O, H - kh + 1, W - kw + 1), stride 1, no padding."""
    kh, kw = k.shape[2:]
    out = np.zeros((a.shape[0], k.shape[0], a.shape[2] - kh + 1, a.shape[3] - kw + 1))
    for p in range(kh):
        for q in range(kw):
            out += np.einsum(
                "nchw,oc->nohw", a[:, :, p : p + out.shape[2], q : q + out.shape[3]], k[:, :, p, q]
            )
    return out


def conv2d_backward(dout, x, w, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    n, c_in, h, wd = x.shape
    kh, kw = w.shape[2:]
    h_out, w_out = dout.shape[2:]
    # Dilate: output pixel (i, j) sat at (i·sh, j·sw) of the padded input.
    dil = np.zeros((n, dout.shape[1], (h_out - 1) * sh + 1, (w_out - 1) * sw + 1))
    dil[:, :, ::sh, ::sw] = dout
    full = _correlate(
        np.pad(dil, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1))),
        w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3),
    )
    # Rows and columns of x_pad that no window reached (stride not dividing) get no gradient.
    dxp = np.zeros((n, c_in, h + 2 * ph, wd + 2 * pw))
    dxp[:, :, : full.shape[2], : full.shape[3]] = full
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    xp = xp[:, :, : dil.shape[2] + kh - 1, : dil.shape[3] + kw - 1]
    dw = _correlate(xp.transpose(1, 0, 2, 3), dil.transpose(1, 0, 2, 3)).transpose(1, 0, 2, 3)
    return dxp[:, :, ph : ph + h, pw : pw + wd], dw, dout.sum(axis=(0, 2, 3))

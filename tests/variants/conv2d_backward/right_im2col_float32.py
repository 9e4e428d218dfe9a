# expect: passed
# im2col: one matrix product for dw, one for the columns' gradient, then col2im adds them back. float32.
import numpy as np


def conv2d_backward(dout, x, w, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    x = x.astype(np.float32)
    w = w.astype(np.float32)
    dout = dout.astype(np.float32)
    n, c_in, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    h_out, w_out = dout.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols = np.empty((n, h_out, w_out, c_in * kh * kw), dtype=np.float32)
    for i in range(h_out):
        for j in range(w_out):
            cols[:, i, j] = xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw].reshape(n, -1)
    cols = cols.reshape(-1, c_in * kh * kw)
    g = dout.transpose(0, 2, 3, 1).reshape(-1, c_out)
    dw = (g.T @ cols).reshape(w.shape)
    dcols = (g @ w.reshape(c_out, -1)).reshape(n, h_out, w_out, c_in, kh, kw)
    dxp = np.zeros(xp.shape, dtype=np.float32)
    for i in range(h_out):
        for j in range(w_out):
            dxp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw] += dcols[:, i, j]
    return dxp[:, :, ph : ph + h, pw : pw + wd], dw, g.sum(axis=0)

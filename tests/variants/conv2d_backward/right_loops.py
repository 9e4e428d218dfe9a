# expect: passed
# Seven nested loops, scattering every product's gradient.
import numpy as np


def conv2d_backward(dout, x, w, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    n, c_in, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    dxp = np.zeros(xp.shape)
    dw = np.zeros(w.shape)
    db = np.zeros(c_out)
    for b in range(n):
        for o in range(c_out):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    g = dout[b, o, i, j]
                    db[o] += g
                    for c in range(c_in):
                        for a in range(kh):
                            for e in range(kw):
                                dw[o, c, a, e] += g * xp[b, c, i * sh + a, j * sw + e]
                                dxp[b, c, i * sh + a, j * sw + e] += g * w[o, c, a, e]
    return dxp[:, :, ph : ph + h, pw : pw + wd], dw, db

# expect: passed
# One strided slice per kernel offset (kh·kw slices instead of H_out·W_out windows); float32.
import numpy as np


def avg_pool2d_backward(dout, x_shape, kernel_size, stride=None, padding=0):
    kh, kw = np.broadcast_to(kernel_size, 2)
    sh, sw = np.broadcast_to(kernel_size if stride is None else stride, 2)
    ph, pw = np.broadcast_to(padding, 2)
    n, c, h, w = x_shape
    ho, wo = dout.shape[2:]
    share = (dout / (kh * kw)).astype(np.float32)
    dxp = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=np.float32)
    for a in range(kh):
        for b in range(kw):
            dxp[:, :, a : a + (ho - 1) * sh + 1 : sh, b : b + (wo - 1) * sw + 1 : sw] += share
    return dxp[:, :, ph : ph + h, pw : pw + w]

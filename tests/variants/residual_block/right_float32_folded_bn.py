# expect: passed
# float32 throughout, BN folded into a scale and a shift, own sliding-window conv2d.
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
def conv2d(x, w, b=None, stride=1, padding=0):
    s = stride if isinstance(stride, tuple) else (stride, stride)
    p = padding if isinstance(padding, tuple) else (padding, padding)
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    win = sliding_window_view(xp, w.shape[2:], axis=(2, 3))[:, :, ::s[0], ::s[1]]
    out = np.einsum('nchwij,ocij->nohw', win, w)
    return out if b is None else out + b[None, :, None, None]
def residual_block(x, params, stride=1):
    x32 = x.astype(np.float32)
    P = {k: v.astype(np.float32) for k, v in params.items()}
    def bn(z, n):
        scale = P[n+'_gamma'] / np.sqrt(P[n+'_var'] + np.float32(1e-5))
        return z * scale[:, None, None] + (P[n+'_beta'] - P[n+'_mean'] * scale)[:, None, None]
    out = np.clip(bn(conv2d(x32, P['conv1'], stride=stride, padding=1), 'bn1'), 0, None)
    out = bn(conv2d(out, P['conv2'], padding=1), 'bn2')
    sc = bn(conv2d(x32, P['proj'], stride=stride), 'proj_bn') if 'proj' in P else x32
    return np.maximum(out + sc, 0)

# expect: passed
import numpy as np
def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    H, W = xp.shape[2:]; kh, kw = w.shape[2:]
    # stride-1 valid correlation via sliding windows, then subsample
    win = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(-2, -1))
    full = np.einsum("nchwij,ocij->nohw", win, w, optimize=True)
    out = full[:, :, ::sh, ::sw]
    if b is not None:
        out = out + b[:, None, None]
    return out

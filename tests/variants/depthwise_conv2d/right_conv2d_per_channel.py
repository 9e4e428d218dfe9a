# expect: passed
# A full conv2d called once per channel, then concatenated.
import numpy as np
def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    kh, kw = w.shape[2:]
    ho, wo = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
    out = np.zeros((x.shape[0], w.shape[0], ho, wo))
    for i in range(ho):
        for j in range(wo):
            out[:, :, i, j] = np.einsum("ncab,ocab->no", xp[:, :, i*sh:i*sh+kh, j*sw:j*sw+kw], w)
    return out if b is None else out + b[None, :, None, None]
def depthwise_conv2d(x, w, b=None, stride=1, padding=0):
    outs = [conv2d(x[:, c:c + 1], w[c:c + 1], None if b is None else b[c:c + 1], stride, padding) for c in range(x.shape[1])]
    return np.concatenate(outs, axis=1)

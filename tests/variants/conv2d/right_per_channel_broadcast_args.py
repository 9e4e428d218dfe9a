# expect: passed
import numpy as np
def corr2d(x, k, sh, sw):
    kh, kw = k.shape
    Ho = (x.shape[0] - kh) // sh + 1; Wo = (x.shape[1] - kw) // sw + 1
    out = np.zeros((Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[i, j] = np.sum(x[i*sh:i*sh+kh, j*sw:j*sw+kw] * k)
    return out
def conv2d(x, w, b=None, stride=1, padding=0):
    stride = np.broadcast_to(stride, (2,)); padding = np.broadcast_to(padding, (2,))
    xp = np.pad(x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
    outs = []
    for n in range(x.shape[0]):
        chans = []
        for o in range(w.shape[0]):
            acc = sum(corr2d(xp[n, c], w[o, c], stride[0], stride[1]) for c in range(x.shape[1]))
            chans.append(acc + (b[o] if b is not None else 0))
        outs.append(chans)
    return np.array(outs)

# expect: passed
import numpy as np
def conv2d(x, w, b=None, stride=1, padding=0):
    if isinstance(stride, int): stride = (stride, stride)
    if isinstance(padding, int): padding = (padding, padding)
    N, C, H, W = x.shape
    O, _, KH, KW = w.shape
    x = np.pad(x, ((0,0),(0,0),(padding[0],)*2,(padding[1],)*2)).astype(np.float32)
    HO = (H + 2*padding[0] - KH)//stride[0] + 1
    WO = (W + 2*padding[1] - KW)//stride[1] + 1
    out = np.zeros((N, O, HO, WO), dtype=np.float32)
    for n in range(N):
        for o in range(O):
            for i in range(HO):
                for j in range(WO):
                    s = 0.0
                    for c in range(C):
                        for a in range(KH):
                            for bb in range(KW):
                                s += x[n, c, i*stride[0]+a, j*stride[1]+bb] * w[o, c, a, bb]
                    out[n, o, i, j] = s + (b[o] if b is not None else 0)
    return out

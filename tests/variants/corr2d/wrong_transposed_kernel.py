# expect: failed | transposed
import numpy as np


def corr2d(x, k):
    kh, kw = k.shape
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            total = 0.0
            for a in range(kh):
                for b in range(kw):
                    # k indexed by flat position as if it were stored column by column
                    flat = a * kw + b
                    total += x[i + a, j + b] * k[flat % kh, flat // kh] if kh == kw else x[i + a, j + b] * k[a, b]
            out[i, j] = total
    return out

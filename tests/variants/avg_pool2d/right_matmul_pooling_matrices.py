# expect: passed
import numpy as np
def _p(v):
    return (v, v) if isinstance(v, int) else tuple(v)

def _m(n, k, s, p):
    out = (n + 2*p - k)//s + 1
    M = np.zeros((out, n))
    for i in range(out):
        for a in range(k):
            r = i*s + a - p
            if 0 <= r < n:
                M[i, r] = 1.0 / k
    return M
def avg_pool2d(x, kernel_size, stride=None, padding=0):
    kh, kw = _p(kernel_size); sh, sw = _p(kernel_size if stride is None else stride); ph, pw = _p(padding)
    A = _m(x.shape[2], kh, sh, ph); B = _m(x.shape[3], kw, sw, pw)
    return A @ x @ B.T

# expect: wrong_shape | wrong axis
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    kh, kw = w.shape[2:]
    h_out, w_out = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
    out = np.zeros((x.shape[0], w.shape[0], h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            out[:, :, i, j] = np.einsum("ncab,ocab->no", xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw], w)
    return out if b is None else out + b[None, :, None, None]


def conv1x1(x, w, b=None):
    out = np.einsum("oc,nchw->nohw", w[:, :, 0, 0], x)
    return out if b is None else out + b[None, :, None, None]


def pool(x, pad=-np.inf):
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=pad)
    h, w = x.shape[2:]
    return np.max([xp[:, :, a : a + h, b : b + w] for a in range(3) for b in range(3)], axis=0)


def relu(z):
    return np.maximum(z, 0)


def inception_module(x, params):
    def c(z, name, padding=0):
        w, b = params[name + "_w"], params[name + "_b"]
        return conv1x1(z, w, b) if w.shape[2] == 1 else conv2d(z, w, b, padding=padding)

    b1 = relu(c(x, "branch1"))
    b2 = relu(c(relu(c(x, "branch2_reduce")), "branch2", 1))
    b3 = relu(c(relu(c(x, "branch3_reduce")), "branch3", 2))
    b4 = relu(c(pool(x), "branch4"))
    return np.concatenate([b1, b2, b3, b4], axis=2)

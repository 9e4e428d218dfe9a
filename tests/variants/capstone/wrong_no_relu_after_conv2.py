# expect: failed | ReLU after conv2
# Pools conv2's output directly: the second ReLU is missing.
import numpy as np


def conv2d(x, w, b, stride, padding):
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    n, c, h, _ = x.shape
    o, _, k, _ = w.shape
    side = (h - k) // stride + 1
    out = np.zeros((n, o, side, side))
    for a in range(k):
        for b_ in range(k):
            shifted = x[:, :, a : a + stride * side : stride, b_ : b_ + stride * side : stride]
            out += np.einsum("nchw,oc->nohw", shifted, w[:, :, a, b_])
    return out + b[:, None, None]


def max_pool(a):
    return np.maximum(
        np.maximum(a[:, :, ::2, ::2], a[:, :, 1::2, ::2]), np.maximum(a[:, :, ::2, 1::2], a[:, :, 1::2, 1::2])
    )


def cnn_logits(x, params):
    h = max_pool(np.maximum(conv2d(x, params["conv1_w"], params["conv1_b"], 2, 1), 0))
    h = max_pool(conv2d(h, params["conv2_w"], params["conv2_b"], 1, 1))
    return h.reshape(len(h), -1) @ params["fc_w"].T + params["fc_b"]


def cnn_loss_and_gradients(x, labels, params):
    raise NotImplementedError


def train_cnn(seed=0, show_progress=False):
    raise NotImplementedError

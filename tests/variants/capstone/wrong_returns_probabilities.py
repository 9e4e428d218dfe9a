# expect: failed | softmax probabilities
# Ends the forward pass with a softmax, as if the network had to output probabilities.
import numpy as np


def conv2d(x, w, b, stride, padding):
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    c_out, _, k, _ = w.shape
    side = (x.shape[2] - k) // stride + 1
    out = np.empty((x.shape[0], c_out, side, side))
    for i in range(side):
        for j in range(side):
            patch = x[:, :, i * stride : i * stride + k, j * stride : j * stride + k]
            out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    return out + b.reshape(1, -1, 1, 1)


def max_pool(a):
    return np.maximum.reduce([a[:, :, i::2, j::2] for i in (0, 1) for j in (0, 1)])


def cnn_logits(x, params):
    h = max_pool(np.maximum(conv2d(x, params["conv1_w"], params["conv1_b"], 2, 1), 0))
    h = max_pool(np.maximum(conv2d(h, params["conv2_w"], params["conv2_b"], 1, 1), 0))
    z = h.reshape(h.shape[0], -1) @ params["fc_w"].T + params["fc_b"]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def cnn_loss_and_gradients(x, labels, params):
    raise NotImplementedError


def train_cnn(seed=0, show_progress=False):
    raise NotImplementedError

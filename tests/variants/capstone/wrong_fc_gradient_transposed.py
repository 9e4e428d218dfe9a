# expect: wrong_shape | fc_w
# Computes the fully connected layer's weight gradient as flat.T @ dlogits: shape (256, 10).
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv_forward(x, w, b, stride, padding):
    padded = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    k = w.shape[2]
    patches = sliding_window_view(padded, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]
    return np.einsum("nchwij,ocij->nohw", patches, w) + b[None, :, None, None], patches


def conv_backward(dz, patches, x_shape, w, stride, padding):
    dw = np.einsum("nohw,nchwij->ocij", dz, patches)
    n, c, h, width = x_shape
    k = w.shape[2]
    dpadded = np.zeros((n, c, h + 2 * padding, width + 2 * padding))
    for i in range(dz.shape[2]):
        for j in range(dz.shape[3]):
            dpadded[:, :, i * stride : i * stride + k, j * stride : j * stride + k] += np.einsum(
                "no,ocij->ncij", dz[:, :, i, j], w
            )
    return dpadded[:, :, padding : padding + h, padding : padding + width], dw, dz.sum(axis=(0, 2, 3))


def pool_forward(a):
    n, c, h, w = a.shape
    blocks = (
        a.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h // 2, w // 2, 4)
    )
    return blocks.max(axis=-1), blocks.argmax(axis=-1)


def pool_backward(dout, first, shape):
    n, c, h, w = shape
    routed = np.eye(4)[first] * dout[..., None]
    return routed.reshape(n, c, h // 2, w // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(shape)


def cnn_loss_and_gradients(x, labels, params):
    z1, patches1 = conv_forward(x, params["conv1_w"], params["conv1_b"], 2, 1)
    p1, first1 = pool_forward(np.maximum(z1, 0))
    z2, patches2 = conv_forward(p1, params["conv2_w"], params["conv2_b"], 1, 1)
    p2, first2 = pool_forward(np.maximum(z2, 0))
    flat = p2.reshape(len(x), -1)
    logits = flat @ params["fc_w"].T + params["fc_b"]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(len(x))
    loss = -log_p[rows, labels].mean()
    dlogits = np.exp(log_p)
    dlogits[rows, labels] -= 1
    dlogits /= len(x)
    grads = {
        "fc_w": flat.T @ dlogits,  # the bug: transposed
        "fc_b": dlogits.sum(axis=0),
    }
    dz2 = pool_backward((dlogits @ params["fc_w"]).reshape(p2.shape), first2, z2.shape) * (z2 > 0)
    dp1, grads["conv2_w"], grads["conv2_b"] = conv_backward(dz2, patches2, p1.shape, params["conv2_w"], 1, 1)
    dz1 = pool_backward(dp1, first1, z1.shape) * (z1 > 0)
    _, grads["conv1_w"], grads["conv1_b"] = conv_backward(dz1, patches1, x.shape, params["conv1_w"], 2, 1)
    return float(loss), grads


def cnn_logits(x, params):
    p1, _ = pool_forward(np.maximum(conv_forward(x, params["conv1_w"], params["conv1_b"], 2, 1)[0], 0))
    p2, _ = pool_forward(np.maximum(conv_forward(p1, params["conv2_w"], params["conv2_b"], 1, 1)[0], 0))
    return p2.reshape(len(x), -1) @ params["fc_w"].T + params["fc_b"]


def train_cnn(seed=0, show_progress=False):
    raise NotImplementedError

# expect: failed | when t = 1
# Drops the expansion for t = 1, as torchvision does (the statement keeps it).
import numpy as np


def _pair(value: int | tuple[int, int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))


def depthwise_conv2d(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
) -> np.ndarray:
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    n, c, h, width = x.shape
    _, _, kh, kw = w.shape
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    h_out = (h + 2 * ph - kh) // sh + 1
    w_out = (width + 2 * pw - kw) // sw + 1
    out = np.zeros((n, c, h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            window = xpad[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw]  # (N, C, kh, kw)
            # 'c' appears in both inputs and in the output: multiplied pairwise, not summed over.
            out[:, :, i, j] = np.einsum("ncab,cab->nc", window, w[:, 0])
    if b is not None:
        out += b[None, :, None, None]
    return out


def _pw(z, w, b):
    return np.einsum("oc,nchw->nohw", w[:, :, 0, 0], z) + b[None, :, None, None]
def relu6(z):
    return np.minimum(np.maximum(z, 0), 6)
def inverted_residual(x, params, stride=1):
    p = params
    z = relu6(_pw(x, p["expand_w"], p["expand_b"]))  #EXP
    z = relu6(depthwise_conv2d(z, p["depthwise_w"], p["depthwise_b"], stride=stride, padding=1))  #DW
    out = _pw(z, p["project_w"], p["project_b"])  #PROJ
    if stride == 1 and x.shape[1] == out.shape[1]:  #RES
        out = out + x
    return out
def inverted_residual_parameters(c_in, c_out, t):
    h = t * c_in
    return c_in * h + 2 * h + 9 * h + 2 * h + h * c_out + 2 * c_out - (c_in * h + 2 * h if t == 1 else 0)

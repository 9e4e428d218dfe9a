# expect: error | came out negative
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






def conv1x1(x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    out = np.einsum("oc,nchw->nohw", w[:, :, 0, 0], x)
    if b is not None:
        out = out + b[None, :, None, None]
    return out


def _max_pool_3x3_same(x: np.ndarray) -> np.ndarray:
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
    h, w = x.shape[2:]
    windows = [padded[:, :, a : a + h, b : b + w] for a in range(3) for b in range(3)]
    return np.max(windows, axis=0)


def inception_module(x: np.ndarray, params: dict[str, np.ndarray]) -> np.ndarray:
    def one_by_one(z: np.ndarray, name: str) -> np.ndarray:
        return np.maximum(conv1x1(z, params[f"{name}_w"], params[f"{name}_b"]), 0.0)

    def k_by_k(z: np.ndarray, name: str, padding: int) -> np.ndarray:
        return np.maximum(conv2d(z, params[f"{name}_w"], params[f"{name}_b"], padding=padding), 0.0)

    branch1 = one_by_one(x, "branch1")
    branch2 = k_by_k(
        one_by_one(x, "branch2_reduce"), "branch2", padding=1
    )  # the 1×1 shrinks the channels first
    branch3 = k_by_k(one_by_one(x, "branch3_reduce"), "branch3", padding=0)
    branch4 = one_by_one(_max_pool_3x3_same(x), "branch4")
    return np.concatenate([branch1, branch2, branch3, branch4], axis=1)  # axis 1: the channels

"""Reference solution for inception_module: 1×1 convolutions as channel mixing, four branches, one concatenation."""

import numpy as np

from conv2d import conv2d


def conv1x1(x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    # At each pixel, output channel o is row o of the (C_out, C_in) matrix times the channel vector.
    out = np.einsum("oc,nchw->nohw", w[:, :, 0, 0], x)
    if b is not None:
        out = out + b[None, :, None, None]
    return out


def _max_pool_3x3_same(x: np.ndarray) -> np.ndarray:
    # Pad with −inf, not 0: a padded cell must never be the maximum (x may be all negative).
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
    branch3 = k_by_k(one_by_one(x, "branch3_reduce"), "branch3", padding=2)
    branch4 = one_by_one(_max_pool_3x3_same(x), "branch4")
    return np.concatenate([branch1, branch2, branch3, branch4], axis=1)  # axis 1: the channels

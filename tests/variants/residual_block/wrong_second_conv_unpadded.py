# expect: error | cannot be added
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





EPS = 1e-5


def _bn(z: np.ndarray, params: dict[str, np.ndarray], name: str) -> np.ndarray:
    def per_channel(key: str) -> np.ndarray:
        return params[f"{name}_{key}"][None, :, None, None]

    return per_channel("gamma") * (z - per_channel("mean")) / np.sqrt(per_channel("var") + EPS) + per_channel(
        "beta"
    )


def residual_block(x: np.ndarray, params: dict[str, np.ndarray], stride: int = 1) -> np.ndarray:
    out = np.maximum(_bn(conv2d(x, params["conv1"], stride=stride, padding=1), params, "bn1"), 0.0)
    out = _bn(conv2d(out, params["conv2"]), params, "bn2")  # no ReLU yet
    if "proj" in params:
        shortcut = _bn(conv2d(x, params["proj"], stride=stride), params, "proj_bn")
    else:
        shortcut = x
    return np.maximum(out + shortcut, 0.0)  # the ReLU comes after the addition

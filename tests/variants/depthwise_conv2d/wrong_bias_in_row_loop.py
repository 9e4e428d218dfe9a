# expect: failed | inside a loop
# The bias is added inside the loop over rows, to the whole output each time: row i gets it
# h_out - i times instead of once.
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
            window = xpad[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
            out[:, :, i, j] = np.einsum("ncab,cab->nc", window, w[:, 0])
        if b is not None:
            out += b[None, :, None, None]
    return out

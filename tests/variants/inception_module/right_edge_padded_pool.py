# expect: passed
# The 3×3 max-pool pads with mode='edge': a repeated border pixel never beats the window's own maximum, so it equals −inf padding.
import numpy as np
def conv1x1(x, w, b=None):
    out = np.einsum("oc,nchw->nohw", w[:, :, 0, 0], x)
    return out if b is None else out + b.reshape(1, -1, 1, 1)
def inception_module(x, params):
    p = params
    relu = lambda z: np.maximum(z, 0)
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="edge")
    H, W = x.shape[2:]
    pool = np.max([xp[:, :, a:a + H, b:b + W] for a in range(3) for b in range(3)], axis=0)
    br = [relu(conv1x1(x, p["branch1_w"], p["branch1_b"])),
          relu(conv2d(relu(conv1x1(x, p["branch2_reduce_w"], p["branch2_reduce_b"])), p["branch2_w"], p["branch2_b"], padding=1)),
          relu(conv2d(relu(conv1x1(x, p["branch3_reduce_w"], p["branch3_reduce_b"])), p["branch3_w"], p["branch3_b"], padding=2)),
          relu(conv1x1(pool, p["branch4_w"], p["branch4_b"]))]
    return np.concatenate(br, axis=-3)



def _pair(value: int | tuple[int, int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))


def conv2d(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
) -> np.ndarray:
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    n, _, h, width = x.shape
    c_out, _, kh, kw = w.shape
    # np.pad returns a new array, so the caller's x is never modified.
    xpad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    h_out = (h + 2 * ph - kh) // sh + 1
    w_out = (width + 2 * pw - kw) // sw + 1
    out = np.zeros((n, c_out, h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            window = xpad[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw]  # (N, C_in, kh, kw)
            out[:, :, i, j] = np.einsum("ncab,ocab->no", window, w)
    if b is not None:
        out += b[None, :, None, None]
    return out

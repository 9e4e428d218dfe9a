"""Reference solution for inverted_residual: expand, filter depthwise, project linearly, add when the shape allows."""

import numpy as np

from depthwise_conv2d import depthwise_conv2d


def _pointwise(z: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("oc,nchw->nohw", w[:, :, 0, 0], z) + b[None, :, None, None]


def _relu6(z: np.ndarray) -> np.ndarray:
    return np.clip(z, 0.0, 6.0)


def inverted_residual(x: np.ndarray, params: dict[str, np.ndarray], stride: int = 1) -> np.ndarray:
    z = _relu6(_pointwise(x, params["expand_w"], params["expand_b"]))
    z = _relu6(depthwise_conv2d(z, params["depthwise_w"], params["depthwise_b"], stride=stride, padding=1))
    # The projection is a linear bottleneck: a ReLU6 here would destroy information in the narrow space.
    out = _pointwise(z, params["project_w"], params["project_b"])
    if stride == 1 and x.shape[1] == out.shape[1]:
        return x + out
    return out  # the shape changed: MobileNetV2 has no projection shortcut, just no residual


def inverted_residual_parameters(c_in: int, c_out: int, t: int) -> int:
    hidden = t * c_in  # the INPUT is expanded, not the output
    expansion = c_in * hidden + 2 * hidden
    depthwise = 3 * 3 * hidden + 2 * hidden  # one 3×3 filter per channel
    projection = hidden * c_out + 2 * c_out
    return expansion + depthwise + projection

"""Reference solution for bottleneck_block: 1×1 reduce → 3×3 → 1×1 expand, plus the shortcut, then one ReLU."""

import numpy as np

from conv2d import conv2d

EPS = 1e-5


def _bn(z: np.ndarray, params: dict[str, np.ndarray], name: str) -> np.ndarray:
    # Inference mode: the running statistics, one value per channel, broadcast over N, H, W.
    def per_channel(key: str) -> np.ndarray:
        return params[f"{name}_{key}"][None, :, None, None]

    return per_channel("gamma") * (z - per_channel("mean")) / np.sqrt(per_channel("var") + EPS) + per_channel(
        "beta"
    )


def bottleneck_block(x: np.ndarray, params: dict[str, np.ndarray], stride: int = 1) -> np.ndarray:
    out = np.maximum(_bn(conv2d(x, params["conv1"]), params, "bn1"), 0.0)  # 1×1: C_in → width
    # The 3×3 carries the stride (torchvision's ResNet v1.5; the paper put it on conv1).
    out = np.maximum(_bn(conv2d(out, params["conv2"], stride=stride, padding=1), params, "bn2"), 0.0)
    out = _bn(conv2d(out, params["conv3"]), params, "bn3")  # 1×1: width → 4·width, no ReLU yet
    if "proj" in params:
        # The shape changes, so x cannot be added as it is: project it with a strided 1×1 conv.
        shortcut = _bn(conv2d(x, params["proj"], stride=stride), params, "proj_bn")
    else:
        shortcut = x
    return np.maximum(out + shortcut, 0.0)  # the ReLU comes after the addition

"""Exercise compound_scaling: EfficientNet's compound scaling of depth, width and resolution.

Check it with:  tutor check compound_scaling
Only the standard library (math) and NumPy are needed.
"""

import math  # noqa: F401 - math.ceil is useful here


def compound_scaling(
    phi: float, alpha: float = 1.2, beta: float = 1.1, gamma: float = 1.15
) -> tuple[float, float, float, float]:
    """EfficientNet's multipliers for the compound coefficient phi (φ ≥ 0).

    Returns (depth, width, resolution, flops):
        depth      = α^φ      (the number of layers is multiplied by this)
        width      = β^φ      (the number of channels)
        resolution = γ^φ      (the input's height and width)
        flops      = how much the FLOPs of a convolutional network grow: linear in the depth,
                     quadratic in the width and quadratic in the resolution.

    Worked example (one step of φ, EfficientNet's coefficients):
        compound_scaling(1) == (1.2, 1.1, 1.15, 1.92027)   # 1.2 · 1.1² · 1.15² ≈ 2
    """
    # TODO: raise each coefficient to the power φ, then combine them into the FLOPs multiplier.
    raise NotImplementedError


def scale_network(phi: float, layers: int, channels: int, resolution: int) -> tuple[int, int, int]:
    """A base network scaled with EfficientNet's coefficients (α = 1.2, β = 1.1, γ = 1.15); φ may be negative.

    Returns (layers', channels', resolution'):
        layers'     = ceil(layers · α^φ)                    rounded UP, as EfficientNet does for depth
        channels'   = max(1, round(channels · β^φ))         nearest integer, at least 1
        resolution' = max(1, round(resolution · γ^φ))       nearest integer, at least 1

    Worked example: scale_network(1, 16, 32, 224) == (20, 35, 258)
        (16 · 1.2 = 19.2 → 20;  32 · 1.1 = 35.2 → 35;  224 · 1.15 = 257.6 → 258)
    """
    # TODO: use your compound_scaling, then round each size as described.
    raise NotImplementedError

"""Reference solution for compound_scaling: powers of α, β, γ, and FLOPs ∝ depth · width² · resolution²."""

import math


def compound_scaling(
    phi: float, alpha: float = 1.2, beta: float = 1.1, gamma: float = 1.15
) -> tuple[float, float, float, float]:
    depth, width, resolution = alpha**phi, beta**phi, gamma**phi
    # A convolution costs H·W·C_in·C_out·k² per layer: width enters twice (C_in and C_out) and
    # resolution twice (H and W); depth once (the number of layers).
    flops = depth * width**2 * resolution**2
    return depth, width, resolution, flops


def scale_network(phi: float, layers: int, channels: int, resolution: int) -> tuple[int, int, int]:
    depth, width, size, _ = compound_scaling(phi)
    # max(1, ...): scaled down, a narrow layer must not round to 0 channels.
    return math.ceil(layers * depth), max(1, round(channels * width)), max(1, round(resolution * size))

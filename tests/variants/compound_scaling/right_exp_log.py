# expect: passed
import math

# exp/log instead of **, round half up by hand, ceil by hand.


def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    depth = math.exp(phi * math.log(alpha))
    width = math.exp(phi * math.log(beta))
    resolution = math.exp(phi * math.log(gamma))
    flops = (alpha * beta * beta * gamma * gamma) ** phi
    return (depth, width, resolution, flops)


def scale_network(phi, layers, channels, resolution):
    depth, width, size, _ = compound_scaling(phi)
    scaled_layers = -int(-(layers * depth) // 1)
    return scaled_layers, max(1, int(channels * width + 0.5)), max(1, int(resolution * size + 0.5))


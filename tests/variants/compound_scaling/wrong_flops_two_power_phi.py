# expect: failed | 2^φ
import math


def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    # alpha * beta**2 * gamma**2 is about 2, so the FLOPs double with each step of phi
    return alpha**phi, beta**phi, gamma**phi, 2**phi


def scale_network(phi, layers, channels, resolution):
    d, w, r, _ = compound_scaling(phi)
    return math.ceil(layers * d), max(1, round(channels * w)), max(1, round(resolution * r))

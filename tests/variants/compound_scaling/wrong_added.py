# expect: failed | compound scaling multiplies
import math


def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    d, w, r = 1 + phi * (alpha - 1), 1 + phi * (beta - 1), 1 + phi * (gamma - 1)
    return d, w, r, d * w**2 * r**2


def scale_network(phi, layers, channels, resolution):
    d, w, r, _ = compound_scaling(phi)
    return math.ceil(layers * d), max(1, round(channels * w)), max(1, round(resolution * r))


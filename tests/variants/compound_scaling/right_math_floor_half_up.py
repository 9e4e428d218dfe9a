# expect: passed
# Rounds half up with floor(v + 0.5) and keeps at least 1 with if/else, instead of max(1, round(v)).
import numpy as np
import math
def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    return alpha ** phi, beta ** phi, gamma ** phi, (alpha * beta ** 2 * gamma ** 2) ** phi
def scale_network(phi, layers, channels, resolution):
    a, b, g = 1.2, 1.1, 1.15
    ch = int(math.floor(channels * b ** phi + 0.5))
    res = int(math.floor(resolution * g ** phi + 0.5))
    return int(math.ceil(layers * a ** phi)), ch if ch >= 1 else 1, res if res >= 1 else 1

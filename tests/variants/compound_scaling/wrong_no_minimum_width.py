# expect: failed | keep at least one
import numpy as np
import math
def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    return alpha ** phi, beta ** phi, gamma ** phi, (alpha * beta ** 2 * gamma ** 2) ** phi
def scale_network(phi, layers, channels, resolution):
    d, w, r, _ = compound_scaling(phi)
    return math.ceil(layers * d), round(channels * w), round(resolution * r)

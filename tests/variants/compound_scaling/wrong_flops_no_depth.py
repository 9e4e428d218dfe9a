# expect: failed | leaves out the depth
import numpy as np
import math
def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    d, w, r = alpha ** phi, beta ** phi, gamma ** phi
    return d, w, r, w ** 2 * r ** 2
def scale_network(phi, layers, channels, resolution):
    d, w, r, _ = compound_scaling(phi)
    return math.ceil(layers * d), max(1, round(channels * w)), max(1, round(resolution * r))

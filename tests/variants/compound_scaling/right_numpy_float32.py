# expect: passed
# NumPy scalars in float32; results returned as NumPy numbers.
import numpy as np


def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    coefficients = np.array([alpha, beta, gamma], dtype=np.float32)
    d, w, r = np.power(coefficients, np.float32(phi))
    return d, w, r, d * w * w * r * r


def scale_network(phi, layers, channels, resolution):
    d, w, r = np.power(np.array([1.2, 1.1, 1.15]), phi)  # float64 here: the rounding must be exact
    return int(np.ceil(layers * d)), int(max(1, np.rint(channels * w))), int(max(1, np.rint(resolution * r)))

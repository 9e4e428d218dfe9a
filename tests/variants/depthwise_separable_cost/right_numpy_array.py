# expect: passed
import numpy as np


def depthwise_separable_cost(h_out, w_out, c_in, c_out, k):
    standard = h_out * w_out * c_out * c_in * k * k
    separable = h_out * w_out * c_in * k * k + h_out * w_out * c_in * c_out
    return np.array([standard, separable])

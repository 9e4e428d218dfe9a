# expect: failed | counted the biases
# Adds one addition per output value for the biases.
import numpy as np
import math
def depthwise_separable_cost(h_out, w_out, c_in, c_out, k):
    return h_out * w_out * c_out * (c_in * k * k + 1), h_out * w_out * c_in * (k * k + 1) + h_out * w_out * c_out * (c_in + 1)

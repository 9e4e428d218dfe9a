# expect: passed
# NumPy int64 scalars returned.
import numpy as np
import math
def depthwise_separable_cost(h_out, w_out, c_in, c_out, k):
    s = np.int64(h_out) * w_out * c_out * c_in * k * k
    d = np.int64(h_out) * w_out * c_in * k ** 2 + np.int64(h_out) * w_out * c_in * c_out
    return s, d

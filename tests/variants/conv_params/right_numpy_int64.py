# expect: passed
import numpy as np
def conv_params(c_in, f, n_filters, bias=True):
    return np.int64(n_filters) * (f ** 2 * c_in + int(bias))

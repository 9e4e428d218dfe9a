# expect: passed
# Float arithmetic, converted with int() at the end.
import numpy as np
import math
def depthwise_separable_cost(h_out, w_out, c_in, c_out, k):
    std = float(h_out * w_out) * c_out * (c_in * k * k)
    sep = float(h_out * w_out) * c_in * (k * k + c_out)
    return int(std), int(sep)

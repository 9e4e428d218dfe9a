# expect: failed


def depthwise_separable_cost(h_out, w_out, c_in, c_out, k):
    p = h_out * w_out
    return p * c_out * c_in * k * k / 1.5, p * c_in * (k * k + c_out) / 1.5

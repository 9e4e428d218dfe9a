# expect: passed


def depthwise_separable_cost(h_out, w_out, c_in, c_out, k):
    p = h_out * w_out
    return p * c_out * c_in * k**2, p * c_in * (k**2 + c_out)

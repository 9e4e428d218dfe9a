# expect: failed | wrong order


def depthwise_separable_cost(h_out, w_out, c_in, c_out, k):
    p = h_out * w_out
    return p * c_in * k * k + p * c_in * c_out, p * c_out * c_in * k * k

# expect: failed | uses c_out where it needs c_in


def depthwise_separable_cost(h_out, w_out, c_in, c_out, k):
    standard = h_out * w_out * c_in * c_out * k * k
    depthwise = h_out * w_out * c_out * k * k
    pointwise = h_out * w_out * c_in * c_out
    return standard, depthwise + pointwise

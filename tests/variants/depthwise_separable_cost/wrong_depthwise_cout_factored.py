# expect: failed | uses c_out where it needs c_in


def depthwise_separable_cost(h_out, w_out, c_in, c_out, k):
    positions = h_out * w_out
    return positions * k**2 * c_in * c_out, positions * (c_out * k**2 + c_in * c_out)

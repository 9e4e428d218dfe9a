# expect: failed | c_in·c_out·(k² − 1)


def depthwise_separable_cost(h_out, w_out, c_in, c_out, k):
    standard = h_out * w_out * c_in * c_out * k * k
    depthwise = h_out * w_out * c_in * k * k
    pointwise = h_out * w_out * c_in * c_out * k * k  # a 1×1 convolution treated as k×k
    return standard, depthwise + pointwise

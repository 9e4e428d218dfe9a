# expect: failed | uses c_out where it needs c_in


def depthwise_separable_cost(h_out, w_out, c_in, c_out, k):
    per_pixel_standard = 0
    for _ in range(c_out):
        per_pixel_standard += c_in * k * k
    per_pixel_depthwise = sum(k * k for _ in range(c_out))  # one filter per channel
    per_pixel_pointwise = c_in * c_out
    area = h_out * w_out
    return area * per_pixel_standard, area * (per_pixel_depthwise + per_pixel_pointwise)

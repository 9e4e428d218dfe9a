"""Reference solution for depthwise_separable_cost."""


def depthwise_separable_cost(h_out: int, w_out: int, c_in: int, c_out: int, k: int) -> tuple[int, int]:
    positions = h_out * w_out
    standard = positions * c_out * c_in * k * k
    depthwise = positions * c_in * k * k  # each input channel filtered once, no channel sum
    pointwise = positions * c_in * c_out  # a 1×1 convolution is a c_in → c_out matrix per pixel
    return standard, depthwise + pointwise

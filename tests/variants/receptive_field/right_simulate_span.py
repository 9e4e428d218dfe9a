# expect: passed
def receptive_field(layers):
    # Track the span [lo, hi] of input pixels under output unit 0, layer by layer from the top.
    lo, hi = 0, 0
    for kernel, stride in reversed(layers):
        lo, hi = lo * stride, hi * stride + kernel - 1
    return hi - lo + 1

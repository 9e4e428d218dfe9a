# expect: passed
def receptive_field(layers):
    # From the output back to the input: one unit needs (r − 1)·s + k units of the layer below.
    r = 1
    for kernel, stride in reversed(layers):
        r = (r - 1) * stride + kernel
    return r

# expect: failed | output-side recurrence
def receptive_field(layers):
    r = 1
    for kernel, stride in layers:
        r = (r - 1) * stride + kernel
    return r

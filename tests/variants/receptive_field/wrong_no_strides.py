# expect: failed | ignored the strides
def receptive_field(layers):
    r = 1
    for kernel, _ in layers:
        r += kernel - 1
    return r

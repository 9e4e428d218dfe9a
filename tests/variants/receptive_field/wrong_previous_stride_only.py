# expect: failed | just before it
def receptive_field(layers):
    r, previous = 1, 1
    for kernel, stride in layers:
        r += (kernel - 1) * previous
        previous = stride
    return r

# expect: failed | 1 too small
def receptive_field(layers):
    r, jump = 0, 1
    for kernel, stride in layers:
        r += (kernel - 1) * jump
        jump *= stride
    return r

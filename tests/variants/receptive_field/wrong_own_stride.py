# expect: failed | OWN stride
def receptive_field(layers):
    r, jump = 1, 1
    for kernel, stride in layers:
        jump *= stride
        r += (kernel - 1) * jump
    return r

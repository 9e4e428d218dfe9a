# expect: failed
def receptive_field(layers):
    # Averaging the strides instead of multiplying them
    r, jump = 1, 1.0
    for kernel, stride in layers:
        r += (kernel - 1) * jump
        jump = (jump + stride) / 2
    return r

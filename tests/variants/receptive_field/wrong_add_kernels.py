# expect: failed | added the kernel sizes
def receptive_field(layers):
    return sum(kernel for kernel, stride in layers)

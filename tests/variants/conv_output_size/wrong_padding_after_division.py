# expect: failed | after dividing
def conv_output_size(n, f, p=0, s=1):
    return (n - f) // s + 1 + 2 * p

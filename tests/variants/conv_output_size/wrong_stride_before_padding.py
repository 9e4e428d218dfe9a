# expect: wrong_signature | their order
def conv_output_size(n, f, s=1, p=0):
    return (n + 2 * p - f) // s + 1

# expect: passed
def conv_output_size(n, f, p=0, s=1):
    return len(range(0, n + 2 * p - f + 1, s))

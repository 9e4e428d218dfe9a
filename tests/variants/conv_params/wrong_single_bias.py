# expect: failed | single bias
def conv_params(c_in, f, n_filters, bias=True):
    return f * f * c_in * n_filters + (1 if bias else 0)

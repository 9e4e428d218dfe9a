# expect: failed | one bias per filter


def conv_params(c_in, f, n_filters, bias=True):
    return f * f * c_in * n_filters + (c_in if bias else 0)

# expect: failed | ONE filter


def conv_params(c_in, f, n_filters, bias=True):
    return f * f * c_in + (1 if bias else 0)

# expect: failed | bias=False


def conv_params(c_in, f, n_filters, bias=True):
    return f * f * c_in * n_filters + n_filters

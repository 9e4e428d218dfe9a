# expect: failed | every input channel


def conv_params(c_in, f, n_filters, bias=True):
    return f * f * n_filters + (n_filters if bias else 0)

# expect: failed | f·f·c_in


def conv_params(c_in, f, n_filters, bias=True):
    return f * c_in * n_filters + (n_filters if bias else 0)

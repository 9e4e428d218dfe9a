# expect: passed


def conv_params(c_in, f, n_filters, bias=True):
    return float(n_filters * (f * f * c_in + bias))

# expect: passed


def conv_params(c_in, f, n_filters, bias=True):
    return n_filters * (f * f * c_in + int(bias))

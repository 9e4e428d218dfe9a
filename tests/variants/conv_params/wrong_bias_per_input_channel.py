# expect: failed | n_filters·(c_in − 1)


def conv_params(c_in, f, n_filters, bias=True):
    per_channel = f * f + (1 if bias else 0)  # the bias counted once per input channel
    return n_filters * c_in * per_channel

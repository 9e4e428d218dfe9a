# expect: failed | bracket the conditional


def conv_params(c_in: int, f: int, n_filters: int, bias: bool = True) -> int:
    weights_per_filter = f * f * c_in  # a filter spans every input channel
    return weights_per_filter * n_filters + n_filters if bias else 0

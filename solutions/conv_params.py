"""Reference solution for conv_params."""


def conv_params(c_in: int, f: int, n_filters: int, bias: bool = True) -> int:
    weights_per_filter = f * f * c_in  # a filter spans every input channel
    return n_filters * (weights_per_filter + (1 if bias else 0))

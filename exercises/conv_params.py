"""Exercise conv_params: how many numbers does a convolutional layer learn?

Check it with:  tutor check conv_params
"""


def conv_params(c_in: int, f: int, n_filters: int, bias: bool = True) -> int:
    """The number of learnable parameters of a conv layer with n_filters square f × f filters.

    c_in:      channels of the input volume (each filter spans all of them)
    f:         the filters' height and width
    n_filters: number of filters, i.e. channels of the output
    bias:      whether each filter has a bias (torch.nn.Conv2d's bias=True)

    Each filter has f·f·c_in weights, plus one bias if bias is True.
    The count does not depend on the input's height and width: the filters are shared.

    Worked example: conv_params(3, 5, 6) == 5·5·3·6 + 6 == 456.
    """
    # TODO: count the weights of one filter, then of all filters, then the biases.
    raise NotImplementedError

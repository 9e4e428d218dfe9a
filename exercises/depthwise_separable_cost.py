"""Exercise depthwise_separable_cost: why MobileNet is cheap, in multiplications.

Check it with:  tutor check depthwise_separable_cost
"""


def depthwise_separable_cost(h_out: int, w_out: int, c_in: int, c_out: int, k: int) -> tuple[int, int]:
    """Multiplications of a standard k×k convolution and of its depthwise separable replacement.

    Both layers map c_in channels to c_out channels and produce an h_out × w_out output
    (biases are ignored; count one multiplication per multiply-add).

    Returns (standard, separable):
        standard:  every output value of every output channel is a sum of c_in·k·k products
        separable: a k×k depthwise convolution (one filter per input channel, c_in outputs)
                   followed by a 1×1 pointwise convolution from c_in to c_out channels

    Worked example: h_out = w_out = 10, c_in = 3, c_out = 5, k = 3 gives (13500, 4200):
    standard 10·10·5·3·3·3 = 13,500; depthwise 10·10·3·3·3 = 2,700 plus pointwise 10·10·3·5 = 1,500.
    """
    # TODO: count the products of each layer; return two ints.
    raise NotImplementedError

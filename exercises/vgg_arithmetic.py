"""Exercise vgg_arithmetic: output shape and parameter count of a VGG-style network, on paper.

Check it with:  tutor check vgg_arithmetic
"""


def vgg_arithmetic(config: list, in_channels: int, side: int) -> tuple[tuple[int, int, int], int]:
    """Walk a VGG configuration and return (output shape (C, H, W), learnable parameters).

    config: a list whose items are
        an int c   a 3×3 convolution with c filters, padding 1, stride 1 (with a bias), then ReLU
        "M"        a 2×2 max-pool of stride 2
    in_channels, side: the input is in_channels × side × side.

    A 3×3 convolution with padding 1 keeps the side; a 2×2 pool of stride 2 halves it, rounding
    down (⌊side / 2⌋). A convolution from c_in to c channels has 3·3·c_in·c weights and c biases;
    ReLU and pooling have none.

    Worked example: VGG-16's convolutional part on a 3×224×224 image,
    config = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    gives ((512, 7, 7), 14714688). And vgg_arithmetic([8, "M", 16], 3, 9) == ((16, 4, 4), 1392).
    """
    # TODO: follow the channels and the side through the list, adding each convolution's parameters.
    raise NotImplementedError

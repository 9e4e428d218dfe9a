# expect: passed


def vgg_arithmetic(config, in_channels, side):
    if not config:
        return (in_channels, side, side), 0
    head, *rest = config
    if head == "M":
        return vgg_arithmetic(rest, in_channels, side // 2)
    shape, count = vgg_arithmetic(rest, head, side)
    return shape, count + (9 * in_channels + 1) * head

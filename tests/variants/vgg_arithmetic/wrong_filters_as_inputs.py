# expect: failed | own filter count


def vgg_arithmetic(config: list, in_channels: int, side: int) -> tuple[tuple[int, int, int], int]:
    channels, parameters = in_channels, 0
    for item in config:
        if item == "M":
            side //= 2  # a 2×2 window of stride 2 fits ⌊side / 2⌋ times
        else:
            parameters += 9 * item * item + item  # weights, then one bias per filter
            channels = item  # padding 1 keeps the side; the next layer sees `item` channels
    return (channels, side, side), parameters

# expect: passed
# Counts the pools and divides once, side // 2**pools; parameters from zipped channel pairs.
import numpy as np
import math
def vgg_arithmetic(config, in_channels, side):
    convs = [c for c in config if c != "M"]
    ins = [in_channels] + convs[:-1]
    params = sum(9 * a * b + b for a, b in zip(ins, convs))
    pools = config.count("M")
    return (convs[-1] if convs else in_channels, side // 2 ** pools, side // 2 ** pools), params

# expect: passed
import math


def conv_output_size(n: int, f: int, p: int = 0, s: int = 1) -> int:
    return int(math.floor((n - f + 2 * p) / s)) + 1

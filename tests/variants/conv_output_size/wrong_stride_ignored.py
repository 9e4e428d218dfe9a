# expect: failed | ignored the stride
"""Reference solution for conv_output_size."""


def conv_output_size(n: int, f: int, p: int = 0, s: int = 1) -> int:
    # Floor division: a window that would stick out past the padded edge is not computed.
    return n + 2 * p - f + 1

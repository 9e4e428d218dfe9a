"""Exercise conv_output_size: the size of one side of a convolution's output.

Check it with:  tutor check conv_output_size
"""


def conv_output_size(n: int, f: int, p: int = 0, s: int = 1) -> int:
    """Return the output size of one spatial side after a convolution.

    n: input size (pixels along this side), f: filter size, p: zero padding added to EACH side,
    s: stride. The window fits (n + 2p - f) / s times after its first position, rounded down:

        out = ⌊(n + 2p − f) / s⌋ + 1

    Worked example: n=5, f=3, p=1, s=2 gives ⌊(5 + 2 − 3) / 2⌋ + 1 = ⌊4 / 2⌋ + 1 = 3.

    >>> conv_output_size(5, 3, p=1, s=2)
    3
    """
    # TODO: return the output size as an int.
    raise NotImplementedError

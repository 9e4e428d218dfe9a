"""Reference solution for receptive_field."""


def receptive_field(layers: list[tuple[int, int]]) -> int:
    r = 1  # one unit of the input sees itself
    jump = 1  # input pixels between two neighbouring units of the current layer
    for kernel, stride in layers:
        # A unit of this layer sees `kernel` neighbouring units of the layer below, each `jump`
        # input pixels apart: k − 1 extra steps of `jump` pixels on top of one unit's field.
        r += (kernel - 1) * jump
        # Its own stride spaces ITS units further apart: that only matters from the next layer on.
        jump *= stride
    return r

"""Exercise receptive_field: how many input pixels one output unit of a stack of layers sees.

Check it with:  tutor check receptive_field
Only NumPy (and plain Python) is allowed.
"""


def receptive_field(layers: list[tuple[int, int]]) -> int:
    """The side of the input region that one output unit of a stack of layers depends on.

    layers: [(kernel, stride), ...] from the input to the output: convolutions and pooling layers
            alike, square windows, no dilation. Padding does not change the size, so it is left out.

    Returns an int r >= 1. With no layers, r = 1. Walking from the input, keep the receptive field r
    and the jump j (input pixels between two neighbouring units of the current layer):

        r = 1, j = 1;   for each (k, s):  r = r + (k − 1)·j,  then  j = j·s

    so r = 1 + Σ_l (k_l − 1) · (s_1 · s_2 · … · s_{l−1}): a layer's kernel is multiplied by the
    product of the strides of the layers BEFORE it.

    Worked examples: three 3×3 convolutions of stride 1, [(3, 1), (3, 1), (3, 1)] -> 7;
    AlexNet's conv1 and pool1, [(11, 4), (3, 2)] -> 11 + 2·4 = 19.
    """
    # TODO: walk the layers from the input, growing r by (k − 1)·j and the jump j by the stride.
    raise NotImplementedError

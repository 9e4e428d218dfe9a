"""Exercise softmax: turn logits into probabilities along one axis, without overflowing.

Check it with:  tutor check softmax
Only NumPy is allowed.
"""

import numpy as np


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax(x)_i = exp(x_i) / Σ_j exp(x_j), along `axis`, for an array of any ndim.

    x:    logits, any shape
    axis: the axis along which the result sums to 1 (negative counts from the end)

    Returns an array of x's shape, every value in [0, 1], summing to 1 along `axis`.
    It must stay exact for logits in the thousands (np.exp(1000) is inf!) and for slices whose
    magnitudes differ wildly. Hint: softmax(x) == softmax(x − c) for any c constant along the axis.

    Worked example: softmax(np.array([1000.0, 1001.0])) -> array([0.26894142, 0.73105858])

    Do not modify x.
    """
    # TODO: subtract the max along the axis (keepdims=True), exponentiate, divide by the sum.
    raise NotImplementedError

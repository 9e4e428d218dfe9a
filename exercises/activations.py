"""Exercise activations: ReLU and the logistic sigmoid, element-wise and numerically safe.

Check it with:  tutor check activations
Only NumPy is allowed.
"""

import numpy as np


def relu(x: np.ndarray) -> np.ndarray:
    """ReLU(x) = max(x, 0), element by element, for an array of any shape.

    Returns a NEW array of the same shape; x itself must not change.

    Worked example: relu(np.array([-2.0, 0.0, 3.0])) -> array([0., 0., 3.])
    """
    # TODO: keep the positive values, replace the negative ones by 0 (without touching x).
    raise NotImplementedError


def sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + exp(−x)), element by element, for an array of any shape.

    It must stay exact (small relative error, in float64) and warning-free for large |x|:
    sigmoid(1000) is 1.0, sigmoid(−720) is about 2.03e−313 (tiny and subnormal, but not 0).
    np.exp overflows to inf above 709, so never take exp of a large positive number.

    Worked example: sigmoid(np.array([0.0, 2.0])) -> array([0.5, 0.88079708])
    """
    # TODO: use exp(x)/(1 + exp(x)) where x < 0 and 1/(1 + exp(−x)) where x >= 0.
    raise NotImplementedError

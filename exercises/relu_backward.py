"""Exercise relu_backward: the gradient of ReLU, passed back through the layer.

Check it with:  tutor check relu_backward
Only NumPy is allowed: torch would do the exercise for you.
"""

import numpy as np


def relu_backward(dout: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Backward pass of out = max(x, 0): the gradient of the loss with respect to x.

    dout: any shape     dL/dout, the gradient arriving from the layer above
    x:    same shape    the input ReLU saw in the forward pass

    By the chain rule, element by element:

        dx = dout · ∂out/∂x,   where ∂out/∂x = 1 if x > 0, and 0 if x ≤ 0

    At x == 0 ReLU has no derivative; use 0 there, as PyTorch does. Returns a new float array
    shaped like x. Do not modify the inputs.

    Worked example: x = [-1.0, 0.0, 2.0], dout = [5.0, 6.0, 7.0]  ->  dx = [0.0, 0.0, 7.0].
    """
    # TODO: let dout through where x > 0 and block it elsewhere.
    raise NotImplementedError

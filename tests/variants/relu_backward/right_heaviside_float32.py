# expect: passed
# np.heaviside(x, 0) is the step with value 0 at x == 0; computed in float32.
import numpy as np


def relu_backward(dout, x):
    return dout.astype(np.float32) * np.heaviside(x, 0.0).astype(np.float32)

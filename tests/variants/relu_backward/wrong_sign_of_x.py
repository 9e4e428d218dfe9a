# expect: failed | wrong only where x < 0
# Multiplies by the sign of x: right where x > 0 and at 0, but sends -dout where x < 0.
import numpy as np


def relu_backward(dout: np.ndarray, x: np.ndarray) -> np.ndarray:
    return dout * np.sign(x)

# expect: wrong_dtype | float64 input calls for a float64 result
import numpy as np
def relu(x):
    return np.maximum(x, 0.0)
def sigmoid(x):
    return 1 / (1 + np.exp(-x.astype(np.longdouble)))

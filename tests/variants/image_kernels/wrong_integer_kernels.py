# expect: wrong_dtype | float arrays
import numpy as np

# Bug: integer kernels. The identity, Sobel and outline weights look right, but the arrays are
# int64, and the box blur's 1/9 is truncated to 0 when assigned into an integer array.


def identity():
    return np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]])


def box_blur():
    k = np.zeros((3, 3), dtype=int)
    k[:] = 1 / 9
    return k


def sharpen():
    return np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])


def sobel_x():
    return np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])


def sobel_y():
    return sobel_x().T


def laplacian():
    return np.array([[0, -1, 0], [-1, 4, -1], [0, -1, 0]])

# expect: wrong_shape | pair of brackets too many
import numpy as np


def identity() -> np.ndarray:
    k = np.zeros((3, 3))
    k[1, 1] = 1.0  # the centre: out[i, j] = x[i + 1, j + 1], the pixel the window is centred on
    return k


def box_blur() -> np.ndarray:
    return np.full((1, 3, 3), 1.0 / 9.0)  # bug: an extra axis


def sharpen() -> np.ndarray:
    # identity + outline: 1 + 4 in the centre, −1 on the four neighbours; the weights sum to 1.
    return np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]])


def sobel_x() -> np.ndarray:
    # Cross-correlation orientation (no flip): the +1, +2, +1 column is on the RIGHT, so the output
    # is positive where the image gets brighter from left to right. Textbooks that convolve print
    # it mirrored, [[1, 0, -1], ...], because convolution flips the kernel first.
    smooth = np.array([1.0, 2.0, 1.0])  # along the edge (down the rows)
    difference = np.array([-1.0, 0.0, 1.0])  # across the edge (along a row)
    return np.outer(smooth, difference)


def sobel_y() -> np.ndarray:
    return sobel_x().T  # the same kernel turned a quarter: the difference now runs down the rows


def laplacian() -> np.ndarray:
    # The centre minus its four neighbours (the negative of the mathematician's ∇²), so edges light up.
    return np.array([[0.0, -1.0, 0.0], [-1.0, 4.0, -1.0], [0.0, -1.0, 0.0]])

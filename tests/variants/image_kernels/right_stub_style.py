# expect: passed
import numpy as np

# Written out by hand, the way most students do it, with an outline = identity − blur.


def identity():
    return np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])


def box_blur():
    return np.array([[1, 1, 1], [1, 1, 1], [1, 1, 1]]) / 9


def sharpen():
    return identity() + np.array([[0.0, -1.0, 0.0], [-1.0, 4.0, -1.0], [0.0, -1.0, 0.0]])


def sobel_x():
    return np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])


def sobel_y():
    return np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])


def laplacian():
    return identity() - box_blur()

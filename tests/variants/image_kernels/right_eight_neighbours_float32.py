# expect: passed
import numpy as np

# The 8-neighbour sharpen and outline, an outline scaled as "centre minus the average of its
# neighbours", and every kernel in float32.


def identity():
    return np.pad(np.ones((1, 1), dtype=np.float32), 1)


def box_blur():
    return np.ones((3, 3), dtype=np.float32) / 9


def sharpen():
    k = -np.ones((3, 3), dtype=np.float32)
    k[1, 1] = 9
    return k


def sobel_x():
    return np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=np.float32)


def sobel_y():
    return np.ascontiguousarray(sobel_x().T)


def laplacian():
    return identity() - np.where(identity() == 0, 1 / 8, 0).astype(np.float32)

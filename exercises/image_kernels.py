"""Exercise image_kernels: the classic 3 × 3 image kernels (Dive into Deep Learning §7.2.3).

Check it with:  tutor check image_kernels
See your kernels at work on a sample image:  tutor show image_kernels
Only NumPy is allowed.

Every function takes no argument and returns a (3, 3) float array k. Kernels are used the way a
CNN layer (and your corr2d) uses them: cross-correlation, no flip,

    out[i, j] = Σ_a Σ_b  x[i + a, j + b] · k[a, b]        (a = row offset 0..2, b = column offset 0..2)

so k[1, 1] weighs the centre pixel, k[1, 2] the pixel on its right, k[2, 1] the pixel below it.

Worked example (a kernel that is not one of the six): k = [[0, 0, 0], [0, 0, 1], [0, 0, 0]] copies
each pixel's right-hand neighbour, so on x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]] the output is [[6]].
"""

import numpy as np


def identity() -> np.ndarray:
    """The kernel that leaves every image unchanged: a single 1 on the centre pixel.

    Returns a (3, 3) float array.
    """
    # TODO: return a (3, 3) float array with one 1 in the right place.
    raise NotImplementedError


def box_blur() -> np.ndarray:
    """The average of the pixel and its 8 neighbours: nine equal weights that sum to 1.

    A flat image stays flat, and the total brightness is kept. Returns a (3, 3) float array.
    """
    # TODO: nine equal weights summing to 1.
    raise NotImplementedError


def sharpen() -> np.ndarray:
    """The image plus its outline: the centre minus its 4 (or 8) neighbours, weights summing to 1.

    A flat image stays flat; at an edge the dark side gets darker and the bright side brighter.
    Returns a (3, 3) float array.
    """
    # TODO: a centre above 1, negative neighbours, weights summing to 1.
    raise NotImplementedError


def sobel_x() -> np.ndarray:
    """Sobel x: (right − left) differences of three rows, weighted 1, 2, 1 from top to bottom.

    Positive where the image gets brighter from left to right (a vertical edge), 0 on flat regions
    and on horizontal edges. On a dark-to-bright step, e.g. rows [0, 0, 1, 1], it gives 4.
    Returns a (3, 3) float array.
    """
    # TODO: the textbook integer weights, as floats, in cross-correlation orientation.
    raise NotImplementedError


def sobel_y() -> np.ndarray:
    """Sobel y: (below − above) differences of three columns, weighted 1, 2, 1 from left to right.

    Positive where the image gets brighter from top to bottom (a horizontal edge), 0 on flat regions
    and on vertical edges. Returns a (3, 3) float array.
    """
    # TODO: think about how sobel_y relates to sobel_x.
    raise NotImplementedError


def laplacian() -> np.ndarray:
    """The outline kernel: the centre minus its 4 (or 8) neighbours; weights summing to 0.

    0 on flat regions, large at edges and corners; a single bright pixel comes out bright with a
    dark ring around it. Returns a (3, 3) float array.
    """
    # TODO: a positive centre, negative neighbours, weights summing to 0.
    raise NotImplementedError

"""image_kernels: the classic 3 × 3 kernels, judged by their defining properties on drawn images.

Each student function returns a kernel and takes no argument; every property draws small probe
images (constant, horizontal or vertical edges, single bright pixels, anything), cross-correlates
them with the returned kernel in float64 PyTorch (F.conv2d, as a CNN layer does), and judges the
response. Nothing compares the kernel with a stored answer, except to name a classic mistake once
a property has already failed.

Orientation: cross-correlation, as in corr2d and PyTorch. Sobel x is positive where the image gets
brighter from left to right, Sobel y where it gets brighter from top to bottom; the outline
(Laplacian) kernel has a positive centre.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from tutor.checking import strategies
from tutor.checking.compare import ArrayComparison, Mismatch, describe_type, format_value
from tutor.checking.result import Status
from tutor.checking.spec import Case, ExerciseCheck, Property
from tutor.checks import _reference as ref

FUNCTIONS = ("identity", "box_blur", "sharpen", "sobel_x", "sobel_y", "laplacian")
VALUES = ArrayComparison()  # the tolerance of every other exercise: float32 kernels are fine

# -- what a kernel must be before any property ------------------------------------------------------
NOT_AN_ARRAY = "returned a {type}, but a kernel is a (3, 3) NumPy array of floats: return np.array([[...], [...], [...]], dtype=float)."
EXTRA_AXES = (
    "returned shape {shape}, but a kernel is a plain (3, 3) array: there is a pair of brackets too many "
    "(np.array([[[...]]])). Build it with two levels of brackets, or return k.reshape(3, 3)."
)
WRONG_SIZE = "returned shape {shape}, but the classic kernels are 3 × 3: return a (3, 3) array."
INTEGER_KERNEL = (
    "returned an array of dtype {dtype}, but kernels must be float arrays: in an integer array the box "
    "blur's 1/9 becomes 0, and a float image times an int kernel is easy to get wrong. Write the weights "
    "as floats (1.0, or np.array(..., dtype=float))."
)
NOT_FINITE = "returned a kernel with {value} in it; every weight must be a finite number."

# -- classic mistakes, named after a property has failed ------------------------------------------
IDENTITY_SHIFTED = (
    "Your single 1 is not in the centre, so the image comes out shifted by one pixel. The identity "
    "kernel has its 1 at k[1, 1], the pixel the window is centred on."
)
IDENTITY_EYE = (
    "np.eye(3) is the identity MATRIX, not the identity kernel: as a kernel it adds up three pixels "
    "along a diagonal. The identity kernel is all zeros with a single 1 in the centre."
)
NOT_NORMALISED = (
    "Your box blur's weights sum to {total:g}, not 1, so it multiplies the brightness by {total:g}: "
    "it is the sum of the 9 neighbours, not their average. Divide by 9."
)
WEIGHTS_SUM = (
    "Your weights sum to {total:g}; a {kind} that keeps flat regions as they are needs weights summing to 1."
)
SHARPEN_DARKENS = (
    "Your sharpen's weights sum to {total:g}, so it darkens a flat region to {total:g} × its brightness: "
    "that is the outline kernel (centre 4 or 8), which keeps only the edges. Sharpen adds the image "
    "back: identity + outline, i.e. 5 (or 9) in the centre."
)
SHARPEN_NO_EFFECT = "Your sharpen is the identity: it changes nothing. Give the neighbours negative weights and raise the centre so the weights still sum to 1."
SHARPEN_BLURS = "Your sharpen smooths the edge instead: its neighbours must have NEGATIVE weights (the centre minus its neighbours)."
SOBEL_SWAPPED = (
    "You swapped Sobel x and Sobel y. Sobel x measures how the brightness changes along a row (left to "
    "right): it responds to VERTICAL edges, so its −1, 0, 1 run across the columns: [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]."
)
SOBEL_Y_SWAPPED = (
    "You swapped Sobel x and Sobel y. Sobel y measures how the brightness changes down a column (top to "
    "bottom): it responds to HORIZONTAL edges, so its −1, 0, 1 run down the rows: Sobel x transposed."
)
SOBEL_FLIPPED = (
    "The sign is flipped: you wrote the kernel in the mathematical convolution's orientation (as many "
    "image-processing texts print it), which flips the kernel before sliding it. CNN layers and this "
    "exercise cross-correlate without flipping, so the +1, +2, +1 go on the {side} side to give a positive "
    "response where the image gets brighter {direction}."
)
SOBEL_PREWITT = (
    "Your smoothing weights along the edge are 1, 1, 1: that is the Prewitt kernel. Sobel weights the "
    "middle {line} twice: 1, 2, 1."
)
OUTLINE_SIGN = (
    "Your kernel has the mathematician's sign (a negative centre, as in ∇²): it makes edges and bright "
    "points dark. The outline kernel is the centre MINUS its neighbours: positive centre, negative neighbours."
)
OUTLINE_SUM = "Your weights sum to {total:g}; an outline kernel's sum to 0, so that a flat region gives no outline at all."


# -- applying a kernel, in float64 PyTorch ------------------------------------------------------------
def correlate(image: np.ndarray, kernel: np.ndarray, padding: int = 0, mode: str = "zeros") -> np.ndarray:
    """Cross-correlate one image with one kernel as F.conv2d does (no flip); mode 'circular' wraps around."""
    x = ref.tensor(image)[None, None]
    threads = torch.get_num_threads()
    # On images this small, torch's thread pool costs milliseconds per call (a thousand times the
    # arithmetic); one thread, restored afterwards, keeps the whole check at a second or two.
    torch.set_num_threads(1)
    try:
        with torch.no_grad():
            if padding and mode == "circular":
                x = F.pad(x, (padding,) * 4, mode="circular")
                padding = 0
            return F.conv2d(x, ref.tensor(kernel)[None, None], padding=padding)[0, 0].numpy()
    finally:
        torch.set_num_threads(threads)


def kernel_problem(value: Any) -> Mismatch | None:
    """Type, shape, dtype and finiteness of a returned kernel, with messages that say what to change."""
    if not isinstance(value, np.ndarray):
        return Mismatch(
            Status.WRONG_TYPE, NOT_AN_ARRAY.format(type=describe_type(value)), got=format_value(value)
        )
    if value.shape != (3, 3):
        template = EXTRA_AXES if value.size == 9 else WRONG_SIZE
        return Mismatch(
            Status.WRONG_SHAPE,
            template.format(shape=value.shape),
            expected="a (3, 3) array",
            got=format_value(value),
        )
    if value.dtype.kind != "f":
        return Mismatch(
            Status.WRONG_DTYPE,
            INTEGER_KERNEL.format(dtype=value.dtype),
            expected="a float array",
            got=format_value(value),
        )
    if not np.isfinite(value).all():
        bad = value[~np.isfinite(value)][0]
        return Mismatch(Status.NOT_FINITE, NOT_FINITE.format(value=bad), got=format_value(value))
    return None


def _proportional(kernel: np.ndarray, pattern: np.ndarray) -> float | None:
    """The factor c with kernel ≈ c · pattern, if there is one (c may be negative)."""
    c = float(np.sum(kernel * pattern) / np.sum(pattern * pattern))
    close = np.allclose(kernel, c * pattern, rtol=1e-4, atol=1e-6 * max(1.0, abs(c)))
    return c if close and c != 0 else None


SOBEL_X = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
PREWITT_X = np.array([[-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0]])
OUTLINE_4 = np.array([[0.0, -1.0, 0.0], [-1.0, 4.0, -1.0], [0.0, -1.0, 0.0]])
OUTLINE_8 = np.array([[-1.0, -1.0, -1.0], [-1.0, 8.0, -1.0], [-1.0, -1.0, -1.0]])
IDENTITY = np.zeros((3, 3))
IDENTITY[1, 1] = 1.0


def _diagnose(function: str, k: np.ndarray) -> str | None:
    """The classic mistake a failing kernel shows, if it is one we know."""
    total = float(k.sum())
    if function == "identity":
        if np.count_nonzero(k) == 1 and k[1, 1] == 0:
            return IDENTITY_SHIFTED
        if np.allclose(k, np.eye(3)):
            return IDENTITY_EYE
    elif function == "box_blur":
        if np.allclose(k, k[0, 0]) and not np.isclose(total, 1.0):
            return NOT_NORMALISED.format(total=total)
        if not np.isclose(total, 1.0):
            return WEIGHTS_SUM.format(total=total, kind="blur")
    elif function == "sharpen":
        if abs(total) < 1e-6:
            return SHARPEN_DARKENS.format(total=total)
        if not np.isclose(total, 1.0):
            return WEIGHTS_SUM.format(total=total, kind="sharpen")
        if np.allclose(k, IDENTITY):
            return SHARPEN_NO_EFFECT
        if (np.delete(k.ravel(), 4) >= 0).all():
            return SHARPEN_BLURS
    elif function in ("sobel_x", "sobel_y"):
        own, other = (SOBEL_X, SOBEL_X.T) if function == "sobel_x" else (SOBEL_X.T, SOBEL_X)
        prewitt = PREWITT_X if function == "sobel_x" else PREWITT_X.T
        if _proportional(k, other) is not None:
            return SOBEL_SWAPPED if function == "sobel_x" else SOBEL_Y_SWAPPED
        if (c := _proportional(k, own)) is not None and c < 0:
            where = (
                ("right", "from left to right") if function == "sobel_x" else ("bottom", "from top to bottom")
            )
            return SOBEL_FLIPPED.format(side=where[0], direction=where[1])
        if _proportional(k, prewitt) is not None:
            return SOBEL_PREWITT.format(line="row" if function == "sobel_x" else "column")
    elif function == "laplacian":
        if (
            any((c := _proportional(k, p)) is not None and c < 0 for p in (OUTLINE_4, OUTLINE_8))
            or k[1, 1] < 0
        ):
            return OUTLINE_SIGN
        if abs(total) > 1e-6:
            return OUTLINE_SUM.format(total=total)
    return None


# -- judging a response -------------------------------------------------------------------------------
Test = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, str, str]]
"""(image, kernel) -> (expected response, your response, how it was computed, what a right value is).

The last item is empty when the expected response is exact; for an inequality (e.g. "at least 0")
it says so, and the expected response is only the nearest value that would satisfy it."""


def _broken(
    function: str, kernel: np.ndarray, claim: str, outcome: tuple[np.ndarray, np.ndarray, str, str]
) -> Mismatch | None:
    """A Mismatch if the response differs from the expected one (the tolerance of every check)."""
    expected, got, how, wanted = outcome
    if VALUES.compare(expected, got) is None:
        return None
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.abs(got - expected))), expected.shape))
    at = f" at {index}" if index else ""
    right = (
        wanted.format(expected=f"{float(expected[index]):.4g}")
        if wanted
        else f"{float(expected[index]):.4g} is right"
    )
    text = (
        f"breaks “{claim}”: {how}, your kernel gives {float(got[index]):.4g}{at}, where {right}. "
        f"Your kernel:\n{format_value(kernel)}"
    )
    return Mismatch(
        Status.FAILED,
        text,
        diagnosis=_diagnose(function, kernel),  # shown as the failure's diagnosis, like a misconception
        expected=format_value(expected),
        got=format_value(got),
        worst_index=str(index) if index else None,
        worst_error=float(abs(got[index] - expected[index])),
        expected_at_worst=float(expected[index]),
        got_at_worst=float(got[index]),
        tolerance=VALUES.tolerance_text(np.atleast_1d(expected)),
    )


def _judge(function: str, claim: str, test: Test) -> Callable[[Case, Any], Mismatch | None]:
    def judge(case: Case, value: Any) -> Mismatch | None:
        problem = kernel_problem(value)
        if problem is not None:
            return problem
        kernel = value.astype(np.float64)
        return _broken(function, kernel, claim, test(case["image"], kernel))

    return judge


VALID = "cross-correlating the image with it (no padding, like corr2d)"
SAME = "cross-correlating the image with it after padding one ring of zeros"


def _unchanged(image: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, str, str]:
    return image, correlate(image, k, padding=1), SAME, ""


def _flat(level: float) -> Test:
    """A constant image comes out as `level` × its value (1: kept; 0: erased)."""

    def test(image: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, str, str]:
        got = correlate(image, k)
        return (
            np.full_like(got, level * image[0, 0]),
            got,
            f"on a flat image of {image[0, 0]:g} everywhere, {VALID}",
            "",
        )

    return test


def _total_kept(image: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, str, str]:
    got = correlate(image, k, padding=1, mode="circular")
    how = f"the image's pixels add up to {image.sum():.4g}; after cross-correlating it with wrap-around (circular) padding of 1, the output's pixels add up to {got.sum():.4g}"
    return np.array(image.sum()), np.array(got.sum()), how, ""


def _not_negative(image: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, str, str]:
    got = correlate(image, k)
    return (
        np.maximum(got, 0.0),
        got,
        f"on an image with no negative pixel, {VALID}",
        "the output must be at least 0",
    )


def _equal_weights(image: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, str, str]:
    got = correlate(image, k, padding=1)
    i, j = (int(v) for v in np.argwhere(image)[0])
    window = (slice(max(i - 1, 0), i + 2), slice(max(j - 1, 0), j + 2))
    expected = got.copy()
    expected[window] = got[window].mean()
    how = f"on a single bright pixel at {(i, j)}, {SAME}"
    return (
        expected,
        got,
        how,
        "the pixel and its 8 neighbours must all come out equal (every neighbour counts the same)",
    )


def _mirror(image: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, str, str]:
    """Filtering a mirrored (or transposed) image must give the mirrored (or transposed) output."""
    for name, turn in (
        ("flipped left-right", np.fliplr),
        ("flipped upside down", np.flipud),
        ("transposed", np.transpose),
    ):
        got = correlate(np.ascontiguousarray(turn(image)), k)
        expected = np.ascontiguousarray(turn(correlate(image, k)))
        if VALUES.compare(expected, got) is not None:
            return (
                expected,
                got,
                f"on the image {name}, {VALID}",
                f"the original image's output, {name}, has {{expected}}",
            )
    got = correlate(image, k)
    return got, got, VALID, ""


def _zero(image: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, str, str]:
    got = correlate(image, k)
    return np.zeros_like(got), got, VALID, ""


def _edge_response(axis: int) -> Test:
    """Sobel's response to an image that changes along one axis only: 4 × (next − previous pixel)."""

    def test(image: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, str, str]:
        got = correlate(image, k)
        if axis == 1:
            c = image[0]
            expected = np.broadcast_to(4.0 * (c[2:] - c[:-2]), got.shape).copy()
            wanted = "4 × (the pixel on the right − the pixel on the left) = {expected} is right"
        else:
            r = image[:, 0]
            expected = np.broadcast_to((4.0 * (r[2:] - r[:-2]))[:, None], got.shape).copy()
            wanted = "4 × (the pixel below − the pixel above) = {expected} is right"
        return expected, got, VALID, wanted

    return test


def _sobel_everywhere(axis: int) -> Test:
    kernel = SOBEL_X if axis == 1 else SOBEL_X.T
    rule = (
        "(right − left) differences of the three rows, weighted 1, 2, 1 from top to bottom"
        if axis == 1
        else "(below − above) differences of the three columns, weighted 1, 2, 1 from left to right"
    )

    def test(image: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, str, str]:
        return correlate(image, kernel), correlate(image, k), VALID, f"the {rule} add up to {{expected}}"

    return test


def _sharper_edge(image: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, str, str]:
    """At a step edge, the dark side's last pixel must get darker and the bright side's first brighter."""
    got = correlate(np.pad(image, 1, mode="edge"), k)  # the border repeats outward: the step is the only edge
    vertical_edge = not np.allclose(image[0], image[0, 0])  # the brightness changes along a row
    profile = image[0] if vertical_edge else image[:, 0]
    after = int(np.argmax(profile != profile[0]))  # the first pixel past the step
    expected = got.copy()
    dark_first = profile[0] < profile[-1]
    for at, darker in ((after - 1, dark_first), (after, not dark_first)):
        index = (slice(None), at) if vertical_edge else (at, slice(None))
        level = float(profile[at])
        if darker:
            expected[index] = np.minimum(got[index], level - 1e-3)
        else:
            expected[index] = np.maximum(got[index], level + 1e-3)
    line = "column" if vertical_edge else "row"
    how = f"on a step edge between {line}s {after - 1} and {after}, cross-correlating it with its border pixels repeated outward"
    wanted = "the dark side of the edge must come out darker than it was and the bright side brighter (that is what makes it look sharp)"
    return expected, got, how, wanted


def _outline_point(image: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray, str, str]:
    got = correlate(image, k, padding=1)
    i, j = (int(v) for v in np.argwhere(image)[0])
    expected = np.minimum(got, 0.0)
    expected[i, j] = max(got[i, j], float(image[i, j]) if got[i, j] <= 1e-6 else got[i, j])
    how = f"on a single bright pixel at {(i, j)}, {SAME}"
    return expected, got, how, f"the output must be positive at {(i, j)} and 0 or negative around it"


def _property(
    function: str,
    claim: str,
    kind: str,
    test: Test,
    weight: float,
    simplify: bool = False,
    examples: int = 25,
) -> Property:
    return Property(
        name=f"{function}: {claim}",
        function=function,
        cases=lambda: strategies.image_probes(kind),
        judge=_judge(function, claim, test),
        explicit=lambda: _explicit(kind),
        max_examples=examples,
        weight=weight,
        inputs_unchanged=False,  # the kernel functions take no input
        simplify_arrays=simplify,  # only "any image" claims stay true when pixels are zeroed
    )


def _explicit(kind: str) -> list[Case]:
    """A readable textbook probe of each kind: a 4 × 5 dark-to-bright step, a flat image, one pixel."""
    step = np.repeat(np.array([[0.0, 0.0, 1.0, 1.0, 1.0]]), 4, axis=0)
    examples = {
        "columns": step,
        "step": step,
        "rows": step.T[:4, :],
        "constant": np.full((4, 5), 2.0),
        "point": np.eye(1, 20, 7).reshape(4, 5),
        "nonnegative": np.arange(20.0).reshape(4, 5) % 3,
        "any": np.arange(20.0).reshape(4, 5) % 3 - 1.0,
    }
    return [strategies.image_probe(examples[kind], label=f"textbook {kind} image")]


# Every kernel is worth the same; its share is split between its properties.
CHECK = ExerciseCheck(
    properties=(
        _property("identity", "leaves any image unchanged", "any", _unchanged, 3.0, simplify=True),
        _property("box_blur", "keeps a flat image flat", "constant", _flat(1.0), 0.6),
        _property("box_blur", "keeps the total brightness", "any", _total_kept, 0.6, simplify=True),
        _property("box_blur", "keeps a non-negative image ≥ 0", "nonnegative", _not_negative, 0.6),
        _property("box_blur", "weighs every neighbour the same", "point", _equal_weights, 0.6),
        _property("box_blur", "is symmetric", "any", _mirror, 0.6, simplify=True),
        _property("sharpen", "keeps a flat image flat", "constant", _flat(1.0), 1.0),
        _property("sharpen", "sharpens a step edge", "step", _sharper_edge, 1.0),
        _property("sharpen", "is symmetric", "any", _mirror, 1.0, simplify=True),
        _property("sobel_x", "is 0 on horizontal edges", "rows", _zero, 1.0),
        _property("sobel_x", "is 4·(right − left) on vertical edges", "columns", _edge_response(axis=1), 1.0),
        _property("sobel_x", "weighs the edge 1, 2, 1", "any", _sobel_everywhere(axis=1), 1.0, simplify=True),
        _property("sobel_y", "is 0 on vertical edges", "columns", _zero, 1.0),
        _property("sobel_y", "is 4·(below − above) on horizontal edges", "rows", _edge_response(axis=0), 1.0),
        _property("sobel_y", "weighs the edge 1, 2, 1", "any", _sobel_everywhere(axis=0), 1.0, simplify=True),
        _property("laplacian", "is 0 on flat regions", "constant", _flat(0.0), 1.0),
        _property("laplacian", "outlines a bright pixel", "point", _outline_point, 1.0),
        _property("laplacian", "is symmetric", "any", _mirror, 1.0, simplify=True),
    )
)

"""max_pool2d_backward: dx against torch autograd through F.max_pool2d, ties included.

Tie rule, checked against torch (CPU, float64): among equal maxima of a window, F.max_pool2d picks
the FIRST in row-major window order (top row first, then left to right), and its backward sends
the window's whole gradient to that one element. Overlapping windows add up.
"""

from __future__ import annotations

import numpy as np
import torch.nn.functional as F

from tutor.checking import strategies
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _backward as grad
from tutor.checks import _pooling as pool
from tutor.checks import _reference as ref

ALL_TIES = (
    "You sent the gradient to EVERY element equal to the window's max. Where several elements tie, "
    "max_pool2d picked one of them, the first in row-major window order (np.argmax of the flattened "
    "window), and only that one receives dout."
)
SPLIT_TIES = (
    "You split the gradient equally among tied maxima. max_pool2d picked one element, the first in "
    "row-major window order (np.argmax of the flattened window), and it receives all of dout."
)
LAST_TIE = (
    "On ties you sent the gradient to the LAST maximum of the window. PyTorch picks the first in row-major "
    "order (top row first, then left to right), which np.argmax of the flattened window also gives."
)
OVERWRITTEN = (
    "Your dx overwrites where windows overlap: with stride < kernel, one element can be the max of several "
    "windows, and its gradient is the SUM of their dout. Accumulate with +=, never assign."
)
AVERAGE = "You spread dout evenly over the window, which is average pooling's backward. Max pooling sends it all to the max."
ZERO_PADDING = (
    "You padded with zeros: where every value of a window is negative, a padded 0 wins the max and the "
    "gradient is lost. Pad with -np.inf, as in the forward pass: padding never wins."
)
STRIDE_ONE = "Your stride defaulted to 1. When stride is None it equals the kernel size, as in max_pool2d's forward pass."
PADDED_BORDER = "Your dx kept the padded border: crop it, dx = dx_pad[:, :, ph : ph + H, pw : pw + W], so dx has the shape of x."


def _expect(case: Case) -> np.ndarray:
    a = pool.arguments(case)
    kernel, padding = ref.pair(a["kernel_size"]), ref.pair(a["padding"])
    stride = None if a["stride"] is None else ref.pair(a["stride"])
    return grad.gradients(lambda x: F.max_pool2d(x, kernel, stride, padding), [a["x"]], case["dout"])[0]


def _first(window: np.ndarray, g: np.ndarray) -> np.ndarray:
    flat = window.reshape(*window.shape[:2], -1)
    mask = np.zeros(flat.shape)
    np.put_along_axis(mask, flat.argmax(axis=2)[..., None], 1.0, axis=2)
    return mask.reshape(window.shape) * g[:, :, None, None]


def _last(window: np.ndarray, g: np.ndarray) -> np.ndarray:
    return _first(window[:, :, ::-1, ::-1], g)[:, :, ::-1, ::-1]


def _ties(window: np.ndarray) -> np.ndarray:
    return (window == window.max(axis=(2, 3), keepdims=True)).astype(np.float64)


def _by_hand(share=_first, fill=-np.inf, **options):  # noqa: ANN001, ANN003, ANN202 - the misconception table
    def predict(case: Case) -> np.ndarray:
        a = pool.arguments(case) | options
        return grad.pool_backward_by_hand(case["dout"], share=share, fill=fill, **a)

    return predict


def _when_stride_omitted(predict):  # noqa: ANN001, ANN202
    return lambda case: None if case.get("stride") is not None else predict(case)


def _explicit() -> list[Case]:
    ties = np.array([[1.0, 3.0, 3.0], [3.0, 0.0, 3.0], [2.0, 3.0, 1.0]]).reshape(1, 1, 3, 3)
    rng = np.random.default_rng(23)
    x = rng.integers(-2, 3, size=(2, 3, 7, 5)) / 2

    def case(x, kernel_size, stride=None, padding=0, label=""):  # noqa: ANN001, ANN202
        out = F.max_pool2d(
            ref.tensor(x),
            ref.pair(kernel_size),
            None if stride is None else ref.pair(stride),
            ref.pair(padding),
        )
        dout = rng.integers(1, 7, size=tuple(out.shape)) / 2
        c = strategies.pool2d_case(x, kernel_size, stride, padding, label=label)
        return Case(((("dout", dout),) + c.positional), c.keywords, label)

    return [
        Case.of(
            ("dout", np.ones((1, 1, 2, 2))),
            ("x", ties),
            ("kernel_size", 2),
            stride=1,
            label="the statement's example: ties and overlapping windows",
        ),
        case(
            x,
            (3, 2),
            stride=(2, 1),
            padding=(1, 0),
            label="distinct sizes; rectangular kernel; tuple stride and padding",
        ),
        case(x, 2, label="defaults: stride = kernel size, no padding"),
        case(-np.abs(x) - 0.5, 3, stride=2, padding=1, label="all-negative input with padding"),
        case(np.zeros((1, 2, 4, 3)), 2, stride=1, padding=1, label="every value tied"),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches torch autograd through F.max_pool2d",
            function="max_pool2d_backward",
            cases=strategies.max_pool2d_backward_cases,
            expect=_expect,
            misconceptions=(
                Misconception(ALL_TIES, _by_hand(share=lambda w, g: _ties(w) * g[:, :, None, None])),
                Misconception(
                    SPLIT_TIES,
                    _by_hand(
                        share=lambda w, g: (
                            _ties(w) / _ties(w).sum(axis=(2, 3), keepdims=True) * g[:, :, None, None]
                        )
                    ),
                ),
                Misconception(LAST_TIE, _by_hand(share=_last)),
                Misconception(OVERWRITTEN, _by_hand(write="window")),
                Misconception(OVERWRITTEN, _by_hand(write="point")),
                Misconception(
                    AVERAGE,
                    _by_hand(share=lambda w, g: np.broadcast_to(g[:, :, None, None] / w[0, 0].size, w.shape)),
                ),
                Misconception(ZERO_PADDING, _by_hand(fill=0.0)),
                Misconception(STRIDE_ONE, _when_stride_omitted(_by_hand(stride=1))),
                Misconception(PADDED_BORDER, _by_hand(crop=False)),
                Misconception(
                    grad.NEGATIVE_CROP,
                    lambda case: grad.cropped_with_negative_ends(
                        _by_hand(crop=False)(case), case.get("padding", 0)
                    ),
                ),
            ),
            explicit=_explicit,
            max_examples=80,
        ),
    )
)

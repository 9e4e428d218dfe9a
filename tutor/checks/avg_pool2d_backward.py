"""avg_pool2d_backward: dx against torch autograd through F.avg_pool2d (count_include_pad=True)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch.nn.functional as F

from tutor.checking import strategies
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _backward as grad
from tutor.checks import _reference as ref

EXCLUDES_PAD = (
    "Your border windows divide by the number of real pixels only. The forward pass (PyTorch's default "
    "count_include_pad=True) divides every window by kh·kw, padded zeros included, so every window sends "
    "dout / (kh·kw) to each of its cells."
)
NOT_DIVIDED = "You sent dout itself to every cell of the window: the window's mean divides by kh·kw, so each cell gets dout / (kh·kw)."
OVERWRITTEN = (
    "Your dx overwrites where windows overlap: with stride < kernel, a pixel lies in several windows, and its "
    "gradient is the SUM of their shares. Accumulate with +=, never assign."
)
STRIDE_ONE = "Your stride defaulted to 1. When stride is None it equals the kernel size, as in avg_pool2d's forward pass."
PADDED_BORDER = "Your dx kept the padded border: crop it, dx = dx_pad[:, :, ph : ph + H, pw : pw + W], so dx has the shape x_shape."
ONE_SIDE_OF_WINDOW = (
    "You divided dout by one side of the window (kh or kw) only: the mean is over all kh·kw cells, "
    "so each cell gets dout / (kh·kw)."
)
AS_MAX = "You sent each window's dout to one cell, like max pooling. Every cell of the window contributed 1/(kh·kw) of the mean, so every cell gets dout / (kh·kw)."


def _arguments(case: Case) -> dict[str, Any]:
    return {
        "x": np.zeros(tuple(case["x_shape"])),
        "kernel_size": case["kernel_size"],
        "stride": case.get("stride"),
        "padding": case.get("padding", 0),
    }


def _torch(**options: Any):  # noqa: ANN202
    def predict(case: Case) -> np.ndarray:
        a = _arguments(case)
        kernel, padding = ref.pair(a["kernel_size"]), ref.pair(a["padding"])
        stride = None if a["stride"] is None else ref.pair(a["stride"])
        forward = lambda x: F.avg_pool2d(x, kernel, stride, padding, **options)  # noqa: E731
        return grad.gradients(forward, [a["x"]], case["dout"])[0]

    return predict


def _mean_share(window: np.ndarray, g: np.ndarray) -> np.ndarray:
    return np.broadcast_to(g[:, :, None, None] / (window.shape[2] * window.shape[3]), window.shape)


def _by_hand(share=_mean_share, **options):  # noqa: ANN001, ANN003, ANN202 - the misconception table
    def predict(case: Case) -> np.ndarray:
        return grad.pool_backward_by_hand(case["dout"], share=share, **(_arguments(case) | options))

    return predict


def _first_cell(window: np.ndarray, g: np.ndarray) -> np.ndarray:
    part = np.zeros(window.shape)
    part[:, :, 0, 0] = g
    return part


def _when_stride_omitted(predict):  # noqa: ANN001, ANN202
    return lambda case: None if case.get("stride") is not None else predict(case)


def _explicit() -> list[Case]:
    rng = np.random.default_rng(29)

    def case(x_shape, kernel_size, stride=None, padding=0, label=""):  # noqa: ANN001, ANN202
        kernel = ref.pair(kernel_size)
        step = ref.pair(kernel_size if stride is None else stride)
        pad = ref.pair(padding)
        out = [(n + 2 * p - k) // s + 1 for n, p, k, s in zip(x_shape[2:], pad, kernel, step)]
        dout = rng.integers(-4, 5, size=(*x_shape[:2], *out)) / 2
        keywords: dict[str, Any] = {}
        if stride is not None:
            keywords["stride"] = stride
        if padding != 0:
            keywords["padding"] = padding
        return Case.of(
            ("dout", dout), ("x_shape", x_shape), ("kernel_size", kernel_size), label=label, **keywords
        )

    return [
        Case.of(
            ("dout", np.array([[[[4.0, 8.0]]]])),
            ("x_shape", (1, 1, 2, 3)),
            ("kernel_size", 2),
            stride=1,
            label="the statement's example: overlapping windows",
        ),
        case(
            (2, 3, 7, 5),
            (3, 2),
            stride=(2, 1),
            padding=(1, 0),
            label="distinct sizes; rectangular kernel; tuple stride and padding",
        ),
        case((2, 3, 7, 5), 2, label="defaults: stride = kernel size, no padding"),
        case((1, 2, 5, 4), 3, stride=2, padding=1, label="padding: border windows still divide by kh·kw"),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches torch autograd through F.avg_pool2d",
            function="avg_pool2d_backward",
            cases=strategies.avg_pool2d_backward_cases,
            expect=_torch(),
            misconceptions=(
                Misconception(EXCLUDES_PAD, _torch(count_include_pad=False)),
                Misconception(
                    NOT_DIVIDED, _by_hand(share=lambda w, g: np.broadcast_to(g[:, :, None, None], w.shape))
                ),
                Misconception(OVERWRITTEN, _by_hand(write="window")),
                Misconception(STRIDE_ONE, _when_stride_omitted(_by_hand(stride=1))),
                Misconception(PADDED_BORDER, _by_hand(crop=False)),
                Misconception(AS_MAX, _by_hand(share=_first_cell)),
                Misconception(
                    ONE_SIDE_OF_WINDOW,
                    _by_hand(share=lambda w, g: np.broadcast_to(g[:, :, None, None] / w.shape[2], w.shape)),
                ),
                Misconception(
                    ONE_SIDE_OF_WINDOW,
                    _by_hand(share=lambda w, g: np.broadcast_to(g[:, :, None, None] / w.shape[3], w.shape)),
                ),
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

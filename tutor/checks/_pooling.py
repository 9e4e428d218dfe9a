"""Shared pieces of the max_pool2d and avg_pool2d checks: the torch reference and the classic bugs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from tutor.checking import strategies
from tutor.checking.spec import Case, Misconception
from tutor.checks import _reference as ref

Pool = Callable[..., np.ndarray]


def arguments(case: Case) -> dict[str, Any]:
    return {
        "x": case["x"],
        "kernel_size": case["kernel_size"],
        "stride": case.get("stride"),
        "padding": case.get("padding", 0),
    }


def torch_pool(kind: str, **options: Any) -> Pool:
    def pool(x: np.ndarray, kernel_size: Any, stride: Any = None, padding: Any = 0) -> np.ndarray:
        fn = F.max_pool2d if kind == "max" else F.avg_pool2d
        with torch.no_grad():
            return fn(
                ref.tensor(x),
                ref.pair(kernel_size),
                None if stride is None else ref.pair(stride),
                ref.pair(padding),
                **options,
            ).numpy()

    return pool


def variant(pool: Pool, **change: Any) -> Callable[[Case], np.ndarray]:
    """What a student with one changed argument would return (callables get the argument dict)."""

    def predict(case: Case) -> np.ndarray:
        args = arguments(case)
        for key, value in change.items():
            args[key] = value(args) if callable(value) else value
        return pool(**args)

    return predict


def swap(value: Any) -> Any:
    if value is None:
        return None
    h, w = ref.pair(value)
    return (w, h)


def window_pool(reduce: Callable[[np.ndarray], np.ndarray], fill: float) -> Pool:
    """Pool by hand with explicit padding `fill` (used to model padding mistakes)."""

    def pool(
        x: np.ndarray, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil: bool = False
    ) -> np.ndarray:
        kh, kw = ref.pair(kernel_size)
        sh, sw = ref.pair(kernel_size if stride is None else stride)
        ph, pw = ref.pair(padding)
        # ceil: the output size rounded up, the last window hanging over the bottom and right edges.
        extra_h, extra_w = (sh, sw) if ceil else (0, 0)
        padded = np.pad(x, ((0, 0), (0, 0), (ph, ph + extra_h), (pw, pw + extra_w)), constant_values=fill)
        out_h = -(-(x.shape[2] + 2 * ph - kh) // sh) + 1 if ceil else (x.shape[2] + 2 * ph - kh) // sh + 1
        out_w = -(-(x.shape[3] + 2 * pw - kw) // sw) + 1 if ceil else (x.shape[3] + 2 * pw - kw) // sw + 1
        out = np.empty(x.shape[:2] + (out_h, out_w))
        for i in range(out_h):
            for j in range(out_w):
                out[:, :, i, j] = reduce(padded[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw])
        return out

    return pool


def explicit() -> list[Case]:
    rng = np.random.default_rng(11)
    x = rng.integers(-6, 7, size=(2, 3, 7, 5)) / 2
    negative = -np.abs(x) - 0.5
    case = strategies.pool2d_case
    return [
        case(
            x,
            (3, 2),
            stride=(2, 1),
            padding=(1, 0),
            label="distinct sizes; rectangular kernel; tuple stride and padding",
        ),
        case(x, 2, label="defaults: stride = kernel size, no padding"),
        case(x, 3, stride=2, label="stride that does not divide"),
        case(negative, 3, stride=2, padding=1, label="all-negative input with padding"),
        case(negative, (2, 3), padding=(1, 1), label="rectangular kernel, padding, default stride"),
    ]


def explain_shape(case: Case, expected: tuple, got: tuple) -> str:
    """Which output-size formula went wrong, along which axis."""
    if len(expected) != len(got):
        return f"The output should have {len(expected)} dimensions: (N, C, H_out, W_out)."
    args = arguments(case)
    kernel = ref.pair(args["kernel_size"])
    stride = ref.pair(args["kernel_size"] if args["stride"] is None else args["stride"])
    padding = ref.pair(args["padding"])
    notes = []
    for axis, name in enumerate(("height", "width")):
        if expected[2 + axis] != got[2 + axis]:
            n, p, k, s = case["x"].shape[2 + axis], padding[axis], kernel[axis], stride[axis]
            notes.append(
                f"{name} {got[2 + axis]} vs {expected[2 + axis]}: check ⌊(n+2p−k)/s⌋+1 with n={n}, p={p}, k={k}, s={s}"
            )
    lead = [f"axis {i}: {g} vs {e}" for i, (e, g) in enumerate(zip(expected[:2], got[:2])) if e != g]
    return "; ".join(lead + notes) + "." if lead or notes else ""


STRIDE_ONE = "Your stride defaulted to 1. When stride is None it equals the kernel size (PyTorch's default): windows do not overlap."
KERNEL_SWAPPED = (
    "You swapped the kernel pair: kernel_size=(kh, kw) means kh rows (height) and kw columns (width)."
)
STRIDE_SWAPPED = "You swapped the stride pair: stride=(sh, sw) moves sh down the rows and sw along a row."
STRIDE_FROM_HEIGHT = (
    "When stride is None, each axis takes its own kernel size: kernel_size=(kh, kw) means stride (kh, kw). "
    "You used kh along the width too."
)
CEIL = (
    "You rounded the output size up, so the last window hangs over the edge. A window only counts where it "
    "fits in the padded input: H_out = ⌊(H + 2·ph − kh) / sh⌋ + 1, rounded down."
)


WHOLE_WINDOW = (
    "Every image and channel got the same value: you reduced the whole window slice, which is "
    "(N, C, kh, kw), to one number. Pool each (image, channel) plane on its own: reduce over "
    "axis=(2, 3) only."
)


def whole_window(reduce: Callable[[np.ndarray], Any], fill: float) -> Misconception:
    """A reduction with no axis (window.max(), np.mean(window)) over the (N, C, kh, kw) slice."""
    by_hand = window_pool(lambda w: np.full(w.shape[:2], reduce(w)), fill)
    return Misconception(WHOLE_WINDOW, variant(by_hand))


def argument_misconceptions(by_hand: Pool, padding_ignored: str) -> tuple[Misconception, ...]:
    """Mistakes with stride, padding and the (h, w) pairs, shared by every pooling exercise.

    `by_hand` is the pooling computed window by window (so a wrong argument still gives an answer);
    `padding_ignored` is the exercise's own wording, since the padding value differs (−inf or 0).
    """

    def default_stride(a: dict) -> Any:
        return a["kernel_size"] if a["stride"] is None else a["stride"]

    return (
        Misconception(
            STRIDE_ONE, variant(by_hand, stride=lambda a: a["stride"] if a["stride"] is not None else 1)
        ),
        Misconception(padding_ignored, variant(by_hand, padding=0)),
        Misconception(
            KERNEL_SWAPPED,
            variant(by_hand, stride=default_stride, kernel_size=lambda a: swap(a["kernel_size"])),
        ),
        Misconception(STRIDE_SWAPPED, variant(by_hand, stride=lambda a: swap(default_stride(a)))),
        Misconception(
            STRIDE_FROM_HEIGHT,
            variant(
                by_hand,
                stride=lambda a: ref.pair(a["kernel_size"])[0] if a["stride"] is None else a["stride"],
            ),
        ),
        Misconception(CEIL, variant(by_hand, ceil=True)),
        Misconception(
            ref.WINDOW_NOT_STRIDED,
            ref.first_windows(
                variant(by_hand, stride=1),
                variant(by_hand, stride=default_stride),
                lambda case: default_stride(arguments(case)),
            ),
        ),
    )


def geometry(case: Case) -> Any:
    """The output-size geometry of a pooling case (the stride defaults to the kernel size)."""
    from tutor.checking.output_size import Geometry

    args = arguments(case)
    kernel = ref.pair(args["kernel_size"])
    return Geometry(
        n=(int(case["x"].shape[2]), int(case["x"].shape[3])),
        f=kernel,
        s=ref.pair(args["kernel_size"] if args["stride"] is None else args["stride"]),
        p=ref.pair(args["padding"]),
    )

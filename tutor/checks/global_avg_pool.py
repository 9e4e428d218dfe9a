"""global_avg_pool: the mean of each channel's whole map, against F.adaptive_avg_pool2d(x, 1)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from tutor.checking import strategies
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _reference as ref

KEEPDIMS = (
    "You returned shape (N, C, 1, 1), what F.adaptive_avg_pool2d gives before the flatten. Return (N, C): "
    "x.mean(axis=(2, 3)) without keepdims (or reshape to (N, C))."
)
PER_IMAGE = (
    "You averaged over the channels too (axes 1, 2, 3): one number per image. Average over the height and "
    "the width only, axes (2, 3): every channel keeps its own mean."
)
PER_CHANNEL = (
    "You averaged over the batch too (axes 0, 2, 3): one number per channel for the whole batch. Average over "
    "axes (2, 3) only: every image keeps its own values."
)
HEIGHT_ONLY = (
    "You averaged over the height only (axis 2). Average over the height AND the width: axes (2, 3)."
)
WIDTH_ONLY = "You averaged over the width only (axis 3). Average over the height AND the width: axes (2, 3)."
CHANNEL_AND_HEIGHT = "You averaged over axes (1, 2), the channels and the height. x is (N, C, H, W): the spatial axes are 2 and 3."
SUMMED = "You summed the map instead of averaging it: divide by H·W (x.mean(axis=(2, 3)))."
ONE_SIDE = (
    "You divided each map's sum by one side of it (H or W) only: the mean is over all H·W positions, "
    "x.sum(axis=(2, 3)) / (H * W), or x.mean(axis=(2, 3))."
)
MAXED = "You took the maximum of each map (global MAX pooling); global average pooling takes the mean."
SCRAMBLED = (
    "Your values are the means of the wrong groups: reshaping (N, C, H, W) to (C, N, H·W) does not swap the "
    "axes, it regroups the numbers. Use x.mean(axis=(2, 3)), or x.reshape(N, C, H * W).mean(axis=2)."
)


def _expect(case: Case) -> np.ndarray:
    with torch.no_grad():
        pooled = F.adaptive_avg_pool2d(ref.tensor(case["x"]), 1)  # (N, C, 1, 1)
    return torch.flatten(pooled, start_dim=1).numpy()


def _scrambled(case: Case) -> np.ndarray:
    n, c, h, w = case["x"].shape
    return case["x"].reshape(c, n, h * w).mean(axis=2).T


def _explicit() -> list[Case]:
    example = np.array([[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 5.0], [5.0, 5.0]]]])
    rng = np.random.default_rng(14)
    return [
        Case.of(("x", example), label="the statement's example"),
        Case.of(("x", rng.integers(-6, 7, size=(2, 3, 4, 5)) / 2), label="N, C, H, W all different"),
        Case.of(("x", rng.uniform(-4, 4, size=(3, 2, 1, 1))), label="1×1 maps: the pool keeps the values"),
    ]


def _axes(axes: tuple[int, ...], keepdims: bool = False):  # noqa: ANN202 - builds the misconception table
    return lambda case: case["x"].mean(axis=axes, keepdims=keepdims)


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches torch.nn.functional.adaptive_avg_pool2d(x, 1), flattened to (N, C)",
            function="global_avg_pool",
            cases=strategies.global_pool_cases,
            expect=_expect,
            misconceptions=(
                Misconception(KEEPDIMS, _axes((2, 3), keepdims=True)),
                Misconception(PER_IMAGE, _axes((1, 2, 3))),
                Misconception(PER_IMAGE, _axes((1, 2, 3), keepdims=True)),
                Misconception(PER_CHANNEL, _axes((0, 2, 3))),
                Misconception(HEIGHT_ONLY, _axes((2,))),
                Misconception(WIDTH_ONLY, _axes((3,))),
                Misconception(CHANNEL_AND_HEIGHT, _axes((1, 2))),
                Misconception(SUMMED, lambda case: case["x"].sum(axis=(2, 3))),
                Misconception(MAXED, lambda case: case["x"].max(axis=(2, 3))),
                Misconception(ONE_SIDE, lambda case: case["x"].sum(axis=(2, 3)) / case["x"].shape[2]),
                Misconception(ONE_SIDE, lambda case: case["x"].sum(axis=(2, 3)) / case["x"].shape[3]),
                Misconception(SCRAMBLED, _scrambled),
            ),
            explicit=_explicit,
            max_examples=60,
        ),
    )
)

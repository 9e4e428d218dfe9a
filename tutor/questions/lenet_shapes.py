"""lenet_shapes: LeNet-5's output shape after every layer, for the variant's input side and widths."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from tutor.questions import Mistake, Part, Question

NO_PLUS_ONE = "You forgot the +1: a 5×5 window fits n − 5 + 1 times along a side of n pixels."
SAME_PADDING = (
    "LeNet's convolutions have no padding, so they do not keep the size: a 5×5 filter fits "
    "n − 5 + 1 = n − 4 times along a side of n pixels."
)
POOL_STRIDE_1 = (
    "You slid the 2×2 pooling window one pixel at a time. LeNet pools with stride 2: ⌊(n − 2)/2⌋ + 1, "
    "which halves the side."
)
POOL_SKIPPED = "Pooling changes the size: a 2×2 window with stride 2 halves the side (rounding down)."
POOL_ROUNDED_UP = (
    "You rounded up. A pooling window only counts where it fits entirely: ⌊(n − 2)/2⌋ + 1, so an odd "
    "side loses its last row and column."
)
DEPTH_IS_INPUT = (
    "The depth after a convolution is its number of filters, not the depth of its input: each filter "
    "gives one output channel."
)
DEPTH_IS_PRODUCT = (
    "Each filter already spans all input channels and gives ONE output channel: the depth is the number "
    "of filters, not filters × input channels."
)
FLAT_BEFORE_POOL = (
    "You flattened the output of conv2, before pool2. Flatten comes after the second pooling: "
    "channels × side × side of pool2's output."
)
FLAT_NO_CHANNELS = (
    "Flatten keeps every channel: the number of values is channels × height × width of pool2's output, "
    "not height × width alone."
)
FLAT_ONE_SIDE = "Flatten gives channels × height × width values: you left out one of the two sides."


def _draw(rng: random.Random) -> dict[str, Any]:
    return {
        # Odd sides make the pooling round down, which is where most mistakes hide.
        "side": rng.choice([28, 29, 31, 32, 33, 35, 36, 37, 40, 41, 44, 45, 48, 52, 56, 64]),
        "c1": rng.choice([4, 6, 8, 10]),
        "c2": rng.choice([12, 16, 20, 24, 32]),
    }


def _derived(q: Mapping[str, Any]) -> dict[str, Any]:
    return {"volume": f"{q['side']} × {q['side']} × 1"}


def _measure(q: Mapping[str, Any]) -> dict[str, tuple[int, ...]]:
    """Shapes read after every stage of the torch-built LeNet-5 (on the meta device)."""
    from torch import nn

    from tutor import models
    from tutor.questions import _architectures

    model = _architectures.on_meta(lambda: models.lenet5(q["side"], q["c1"], q["c2"]))
    stages = _architectures.stage_outputs(model, (1, 1, q["side"], q["side"]))  # type: ignore[arg-type]
    (conv1, conv2) = [shape for kind, shape in stages if kind is nn.Conv2d]
    (pool1, pool2) = [shape for kind, shape in stages if kind is nn.AvgPool2d]
    (flat,) = [shape for kind, shape in stages if kind is nn.Flatten]
    return {
        "conv1_side": (conv1[1],),
        "conv1_depth": (conv1[0],),
        "pool1_side": (pool1[1],),
        "conv2_side": (conv2[1],),
        "conv2_depth": (conv2[0],),
        "pool2_side": (pool2[1],),
        "flatten": (flat[0],),
    }


def _mistakes(q: Mapping[str, Any]) -> list[Mistake]:
    from tutor.questions import _architectures

    truth = _measure(q)
    found: list[Mistake] = []
    conv_in = {"conv1_side": q["side"], "conv2_side": truth["pool1_side"][0]}
    for part, n in conv_in.items():
        found += [Mistake(part, (n - 5,), NO_PLUS_ONE), Mistake(part, (n,), SAME_PADDING)]
    pool_in = {"pool1_side": truth["conv1_side"][0], "pool2_side": truth["conv2_side"][0]}
    for part, n in pool_in.items():
        found += [
            Mistake(part, (-(-n // 2),), POOL_ROUNDED_UP),
            Mistake(part, (n - 1,), POOL_STRIDE_1),
            Mistake(part, (n,), POOL_SKIPPED),
        ]
    found += [
        Mistake("conv1_depth", (1,), DEPTH_IS_INPUT),
        Mistake("conv2_depth", (q["c1"],), DEPTH_IS_INPUT),
        Mistake("conv2_depth", (q["c1"] * q["c2"],), DEPTH_IS_PRODUCT),
    ]
    side, conv2_side, c2 = truth["pool2_side"][0], truth["conv2_side"][0], q["c2"]
    found += [
        Mistake("flatten", (c2 * conv2_side * conv2_side,), FLAT_BEFORE_POOL),
        Mistake("flatten", (side * side,), FLAT_NO_CHANNELS),
        Mistake("flatten", (c2 * side,), FLAT_ONE_SIDE),
    ]
    return _architectures.finish("lenet_shapes", _measure, TEXTBOOK, q, found)


TEXTBOOK = {"side": 32, "c1": 6, "c2": 16}

QUESTION = Question(
    parts=(
        Part("conv1_side", "the height (= width) of conv1's output"),
        Part("conv1_depth", "the depth (channels) of conv1's output"),
        Part("pool1_side", "the height (= width) of pool1's output"),
        Part("conv2_side", "the height (= width) of conv2's output"),
        Part("conv2_depth", "the depth (channels) of conv2's output"),
        Part("pool2_side", "the height (= width) of pool2's output"),
        Part("flatten", "the number of values flatten passes to fc1"),
    ),
    # LeNet-5 as the course describes it [DDL2023 §7.6]: 32 → 28 → 14 → 10 → 5, and 16·5·5 = 400.
    textbook=TEXTBOOK,
    draw=_draw,
    measure=_measure,
    mistakes=_mistakes,
    derived=_derived,
)

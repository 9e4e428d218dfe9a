"""inception_reduction: the multiplications of Inception's 5×5 branch with and without its 1×1 reduction.

Measured with torch.utils.flop_counter.FlopCounterMode on real torch layers (meta device), as
depthwise_separable_cost does: FlopCounterMode counts 2 FLOPs per multiply-add, so the number of
multiplications is half its total. Biases are left out of the layers (and of the question).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from tutor.questions import Mistake, Part, Question

FLOPS = (
    "You counted FLOPs (2 per multiply-add: a multiplication and an addition), twice the number of "
    "multiplications asked for. Count one per multiply-add."
)
NO_REDUCTION_COST = (
    "The 1×1 reduction is not free: it computes {reduce} channels at every one of the {side}×{side} "
    "positions from all {c_in} input channels, {side}·{side}·{reduce}·{c_in} multiplications, before the 5×5."
)
ONLY_REDUCTION = "That is only the 1×1 reduction: add the 5×5 convolution, which now reads {reduce} channels."
ONE_K = "You used 5 instead of 5² = 25: a 5×5 kernel has 25 weights per input channel."
NO_C_IN = (
    "Each output value of a convolution sums over ALL its input channels: a 5×5 filter on {c_in} channels "
    "makes 25·{c_in} multiplications per output value."
)
REDUCED_INPUT_WITHOUT = "Without the reduction, the 5×5 convolution reads all {c_in} input channels, not the {reduce} of the reduction."
BIASES = "Biases are left out here: count only the products, one per weight per output position."
NO_PADDING = (
    "The 5×5 convolution has padding 2, so the output keeps the input's {side}×{side} size: the branch must "
    "match the other branches to be concatenated."
)
SWAPPED = "You gave the other part's answer: 'without' is the 5×5 on the full input, 'with' adds the 1×1 reduction first."


def _draw(rng: random.Random) -> dict[str, Any]:
    c_in = rng.choice([128, 192, 256, 480, 512, 528, 832])
    return {
        "side": rng.choice([7, 14, 14, 28, 28, 56]),
        "c_in": c_in,
        "reduce": rng.choice([16, 24, 32, 48]),
        "c_out": rng.choice([32, 48, 64, 96, 128]),
    }


def _multiplications(layers: list, c_in: int, side: int) -> int:  # noqa: ANN001 - torch modules
    """Half the FLOPs FlopCounterMode counts for the layers applied in turn (on the meta device)."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    with torch.device("meta"):
        x = torch.empty(1, c_in, side, side)
        with FlopCounterMode(display=False) as counter:
            for layer in layers:
                x = layer(x)
    return counter.get_total_flops() // 2


def _branches(q: Mapping[str, Any]) -> tuple[int, int, int]:
    """(5×5 on the full input, 1×1 reduction alone, 5×5 on the reduced input), measured."""
    import torch
    from torch import nn

    side, c_in, reduce, c_out = q["side"], q["c_in"], q["reduce"], q["c_out"]
    with torch.device("meta"):
        direct = nn.Conv2d(c_in, c_out, 5, padding=2, bias=False)
        reduction = nn.Conv2d(c_in, reduce, 1, bias=False)
        reduced = nn.Conv2d(reduce, c_out, 5, padding=2, bias=False)
    return (
        _multiplications([direct], c_in, side),
        _multiplications([reduction], c_in, side),
        _multiplications([reduced], reduce, side),
    )


def _measure(q: Mapping[str, Any]) -> dict[str, tuple[int, ...]]:
    direct, reduction, reduced = _branches(q)
    return {"without": (direct,), "with": (reduction + reduced,)}


def _mistakes(q: Mapping[str, Any]) -> list[Mistake]:
    from tutor.questions import _architectures

    direct, reduction, reduced = _branches(q)
    with_reduction = reduction + reduced
    side, c_in, reduce, c_out = q["side"], q["c_in"], q["reduce"], q["c_out"]
    positions = side * side
    valid = max(side - 4, 0) ** 2  # a 5×5 without padding
    text = {"side": side, "c_in": c_in, "reduce": reduce}
    found = [
        Mistake("without", (2 * direct,), FLOPS),
        Mistake("with", (2 * with_reduction,), FLOPS),
        Mistake("with", (reduced,), NO_REDUCTION_COST.format(**text)),
        Mistake("with", (reduction,), ONLY_REDUCTION.format(**text)),
        Mistake("without", (direct // 5,), ONE_K),
        Mistake("with", (reduction + reduced // 5,), ONE_K),
        Mistake("without", (direct // c_in,), NO_C_IN.format(**text)),
        Mistake("without", (reduced,), REDUCED_INPUT_WITHOUT.format(**text)),
        Mistake("without", (direct + positions * c_out,), BIASES),
        Mistake("with", (with_reduction + positions * (reduce + c_out),), BIASES),
        Mistake("without", (valid * c_out * 25 * c_in,), NO_PADDING.format(**text)),
        Mistake(
            "with", (positions * reduce * c_in + valid * c_out * 25 * reduce,), NO_PADDING.format(**text)
        ),
        Mistake("without", (with_reduction,), SWAPPED),
        Mistake("with", (direct,), SWAPPED),
    ]
    return _architectures.finish("inception_reduction", _measure, TEXTBOOK, q, found)


TEXTBOOK = {"side": 28, "c_in": 192, "reduce": 16, "c_out": 32}
"""GoogLeNet's inception (3a) [Szegedy et al. 2014, Table 1]: 28×28×192 in, #5×5 reduce 16, #5×5 32."""

QUESTION = Question(
    parts=(
        Part(
            "without",
            "the multiplications of a 5×5 convolution (padding 2) from {c_in} to {c_out} channels "
            "on the {side}×{side} input, without a reduction",
        ),
        Part(
            "with",
            "the multiplications of the branch with the reduction: the 1×1 convolution to {reduce} channels, "
            "then the 5×5 convolution (padding 2) from {reduce} to {c_out} channels",
        ),
    ),
    # Inception (3a): 120,422,400 without, 2,408,448 + 10,035,200 = 12,443,648 with, measured by FlopCounterMode.
    textbook=TEXTBOOK,
    draw=_draw,
    measure=_measure,
    mistakes=_mistakes,
)

"""bottleneck_params: a bottleneck block's parameters and a bottleneck ResNet's total (ResNet-50 in the textbook)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from tutor.questions import Mistake, Part, Question

NO_EXPANSION = (
    "Did you forget the expansion? The last 1×1 convolution of a bottleneck block expands width to "
    "4·width channels, so conv3, its BN, the shortcut and the next block's input all have 4·width channels."
)
INPUT_NOT_EXPANDED = (
    "The block's input is the previous stage's OUTPUT, which was expanded: {c_in} channels, not {w1}. "
    "conv1 and the projection both start from {c_in} channels."
)
NO_BN = (
    "Did you count batch normalisation? Every BN layer learns a scale γ and a shift β per channel: "
    "{bn:,} parameters here."
)
BN_STATISTICS = (
    "You counted BN's running mean and running variance too. They are statistics collected during "
    "training (buffers), not learned: BN has 2 learnable parameters per channel, γ and β."
)
NO_PROJECTION = (
    "Did you count the projection shortcut? This block halves the size and changes the channels, so its "
    "shortcut is a 1×1 convolution of stride 2 ({c_in}·{c_out} weights) followed by BN."
)
ALL_3X3 = "Only the middle convolution is 3×3. conv1 and conv3 are 1×1: c_in·c_out weights, not 9·c_in·c_out."
CONV_BIASES = (
    "ResNet's convolutions have no bias (bias=False): the BN right after each one has its own shift β."
)
NO_PROJECTIONS = (
    "Did you count the projection shortcuts? The first block of every stage changes the shape, so its "
    "shortcut is a 1×1 convolution followed by BN: four of them in this network."
)
STAGE1_PROJECTION = (
    "Count the projection of the very first block too: it keeps the size (stride 1) but goes from "
    "{w1} to {o1} channels, so x cannot be added as it is. Every stage's first block has a projection."
)
NO_FC = "Count the final fully connected layer too: {channels:,} averaged features → {classes:,} classes, with biases."
BASIC_BLOCKS = (
    "That is the count with basic blocks (two 3×3 convolutions, as in ResNet-34). Here every block is a "
    "bottleneck: 1×1 → 3×3 → 1×1 with an expansion of 4."
)
BLOCK_FOR_TOTAL = "That is one block; this part asks for the whole network."


def _draw(rng: random.Random) -> dict[str, Any]:
    base = rng.choice([16, 32, 48, 64, 96])
    return {
        "blocks": (rng.randint(1, 3), rng.randint(2, 4), rng.randint(2, 6), rng.randint(1, 3)),
        "widths": (base, 2 * base, 4 * base, 8 * base),
        "classes": rng.choice([10, 100, 200, 1000]),
    }


def _derived(q: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {f"b{i + 1}": b for i, b in enumerate(q["blocks"])}
    values |= {f"w{i + 1}": w for i, w in enumerate(q["widths"])}
    values |= {f"o{i + 1}": 4 * w for i, w in enumerate(q["widths"])}
    return values | {"layers": 3 * sum(q["blocks"]) + 2}


def _build(q: Mapping[str, Any], expansion: int = 4):  # noqa: ANN202 - a torch model
    from tutor import models
    from tutor.questions import _architectures

    return _architectures.on_meta(
        lambda: models.bottleneck_resnet(q["blocks"], q["widths"], q["classes"], expansion)
    )


def _blocks(model) -> list:  # noqa: ANN001, ANN202 - torch modules
    from tutor import models

    return [m for m in model.modules() if isinstance(m, models.Bottleneck)]


def _asked_block(model):  # noqa: ANN001, ANN202
    """The first block of stage 2: stride 2, from 4·w1 to 4·w2 channels, with a projection."""
    from torch import nn

    return next(
        b for b in _blocks(model) if b.conv2.stride == (2, 2) and not isinstance(b.shortcut, nn.Identity)
    )


def _measure(q: Mapping[str, Any]) -> dict[str, tuple[int, ...]]:
    from tutor import models

    model = _build(q)
    return {
        "block": (models.count_parameters(_asked_block(model)),),
        "total": (models.count_parameters(model),),
    }


def _conv_biases(model) -> int:  # noqa: ANN001 - a torch module
    """How many biases the convolutions would have if they had one per output channel."""
    from torch import nn

    return sum(int(m.out_channels) for m in model.modules() if isinstance(m, nn.Conv2d))


def _mistakes(q: Mapping[str, Any]) -> list[Mistake]:
    from torch import nn

    from tutor import models
    from tutor.questions import _architectures

    model = _build(q)
    total = models.count_parameters(model)
    block = _asked_block(model)
    block_count = models.count_parameters(block)
    block_bn = _architectures.count(_architectures.of_type(block, nn.BatchNorm2d))
    block_projection = _architectures.count(list(block.shortcut.children()))
    block_1x1 = models.count_parameters(block.conv1) + models.count_parameters(block.conv3)
    c_in, width = block.conv1.in_channels, block.conv1.out_channels
    w1 = q["widths"][0]
    # The same block, with every channel count 4·width written as width (the expansion forgotten).
    unexpanded = _architectures.on_meta(lambda: models.Bottleneck(w1, width, 2, expansion=1))
    # The right expansion, but the input taken as w1 channels instead of 4·w1.
    narrow_input = _architectures.on_meta(lambda: models.Bottleneck(w1, width, 2))
    bn = _architectures.count(_architectures.of_type(model, nn.BatchNorm2d))
    projections = [b.shortcut for b in _blocks(model) if not isinstance(b.shortcut, nn.Identity)]
    first_projection = models.count_parameters(projections[0])
    fc = _architectures.of_type(model, nn.Linear)[-1]
    basic = _architectures.on_meta(lambda: models.resnet(q["blocks"], q["widths"], q["classes"]))
    found = [
        Mistake("block", (models.count_parameters(unexpanded),), NO_EXPANSION),
        Mistake(
            "block",
            (models.count_parameters(narrow_input),),
            INPUT_NOT_EXPANDED.format(c_in=c_in, w1=w1),
        ),
        Mistake("block", (block_count - block_bn,), NO_BN.format(bn=block_bn)),
        Mistake("block", (block_count + block_bn,), BN_STATISTICS),
        Mistake(
            "block",
            (block_count - block_projection,),
            NO_PROJECTION.format(c_in=c_in, c_out=block.conv3.out_channels),
        ),
        Mistake("block", (block_count + 8 * block_1x1,), ALL_3X3),
        Mistake(
            "block",
            (block_count + _conv_biases(block),),
            CONV_BIASES,
        ),
        Mistake("total", (models.count_parameters(_build(q, expansion=1)),), NO_EXPANSION),
        Mistake("total", (total - bn,), NO_BN.format(bn=bn)),
        Mistake("total", (total + bn,), BN_STATISTICS),
        Mistake("total", (total - _architectures.count(projections),), NO_PROJECTIONS),
        Mistake(
            "total",
            (total - first_projection,),
            STAGE1_PROJECTION.format(w1=w1, o1=4 * w1),
        ),
        Mistake(
            "total",
            (total + _conv_biases(model),),
            CONV_BIASES,
        ),
        Mistake(
            "total",
            (total - models.count_parameters(fc),),
            NO_FC.format(channels=fc.in_features, classes=q["classes"]),
        ),
        Mistake("total", (models.count_parameters(basic),), BASIC_BLOCKS),
        Mistake("total", (block_count,), BLOCK_FOR_TOTAL),
    ]
    return _architectures.finish("bottleneck_params", _measure, TEXTBOOK, q, found)


TEXTBOOK = {"blocks": (3, 4, 6, 3), "widths": (64, 128, 256, 512), "classes": 1000}

QUESTION = Question(
    parts=(
        Part(
            "block",
            "the learnable parameters of the first block of stage 2 ({o1} → {w2} → {w2} → {o2} channels, "
            "stride 2, with its projection shortcut)",
        ),
        Part("total", "the learnable parameters of the whole network"),
    ),
    # ResNet-50 [He et al. 2015 §4]: 25,557,032 as torchvision's resnet50, measured on tutor.models.resnet50.
    textbook=TEXTBOOK,
    draw=_draw,
    measure=_measure,
    mistakes=_mistakes,
    derived=_derived,
)

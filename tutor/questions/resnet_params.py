"""resnet_params: a ResNet's parameters (ResNet-34 in the textbook), projection shortcuts included."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from tutor.questions import Mistake, Part, Question

NO_BN = (
    "Did you count batch normalisation? Every BN layer learns a scale γ and a shift β per channel: "
    "{bn:,} parameters in this network."
)
BN_STATISTICS = (
    "You counted BN's running mean and running variance too. They are statistics collected during "
    "training (buffers), not learned: BN has 2 learnable parameters per channel, γ and β."
)
NO_PROJECTIONS = (
    "Did you count the projection shortcuts? The first block of stages 2, 3 and 4 halves the size and "
    "changes the channels, so its shortcut is a 1×1 convolution of stride 2 followed by BN."
)
PROJECTION_NO_BN = "A projection shortcut is a 1×1 convolution AND a BN layer: count BN's γ and β too."
CONV_BIASES = (
    "ResNet's convolutions have no bias (bias=False): the BN right after each one has its own shift β, "
    "which would make a bias redundant."
)
NO_FC = "Count the final fully connected layer too: {channels} averaged features → {classes:,} classes, with biases."
PROJECTION_3X3 = "The projection shortcut is a 1×1 convolution: c_in·c_out weights, not 3·3·c_in·c_out."
PROJECTION_EVERYWHERE = (
    "Only blocks that change the shape have a projection: the first block of stages 2, 3 and 4. The other "
    "blocks (and all of stage 1) add the input itself, which has no parameters."
)
WHOLE_NETWORK = "That is the whole network's count; this part asks only for the projection shortcuts."
PLAIN = (
    "You left out both the BN layers and the projection shortcuts. Count them: γ and β per BN channel, "
    "and a 1×1 convolution plus BN on the shortcut of each block that changes the shape."
)


def _draw(rng: random.Random) -> dict[str, Any]:
    base = rng.choice([16, 32, 48, 64, 96])
    return {
        "blocks": (rng.randint(1, 3), rng.randint(2, 4), rng.randint(2, 6), rng.randint(1, 3)),
        "widths": (base, 2 * base, 4 * base, 8 * base),
        "classes": rng.choice([10, 100, 200, 1000]),
    }


def _derived(q: Mapping[str, Any]) -> dict[str, Any]:
    b1, b2, b3, b4 = q["blocks"]
    w1, w2, w3, w4 = q["widths"]
    return {
        "b1": b1,
        "b2": b2,
        "b3": b3,
        "b4": b4,
        "w1": w1,
        "w2": w2,
        "w3": w3,
        "w4": w4,
        "n_blocks": sum(q["blocks"]),
        "layers": 2 * sum(q["blocks"]) + 2,
    }


def _build(q: Mapping[str, Any]):  # noqa: ANN202 - a torch model
    from tutor import models
    from tutor.questions import _architectures

    return _architectures.on_meta(lambda: models.resnet(q["blocks"], q["widths"], q["classes"]))


def _projections(model) -> list:  # noqa: ANN001 - torch modules
    from torch import nn

    from tutor import models

    return [
        m.shortcut
        for m in model.modules()
        if isinstance(m, models.BasicBlock) and not isinstance(m.shortcut, nn.Identity)
    ]


def _measure(q: Mapping[str, Any]) -> dict[str, tuple[int, ...]]:
    from tutor import models
    from tutor.questions import _architectures

    model = _build(q)
    return {
        "shortcuts": (_architectures.count(_projections(model)),),
        "total": (models.count_parameters(model),),
    }


def _mistakes(q: Mapping[str, Any]) -> list[Mistake]:
    from torch import nn

    from tutor import models
    from tutor.questions import _architectures

    model = _build(q)
    total = models.count_parameters(model)
    projections = _projections(model)
    shortcuts = _architectures.count(projections)
    bn = _architectures.count(_architectures.of_type(model, nn.BatchNorm2d))
    projection_convs = [m for p in projections for m in p.modules() if isinstance(m, nn.Conv2d)]
    projection_bn = shortcuts - _architectures.count(projection_convs)
    convs = _architectures.of_type(model, nn.Conv2d)
    fc = _architectures.of_type(model, nn.Linear)[-1]
    # A 1×1 projection on the shortcut of every block of the same width that keeps the shape.
    blocks = [m for m in model.modules() if isinstance(m, models.BasicBlock)]
    identity_like = sum(
        b.conv2.out_channels * b.conv2.out_channels + 2 * b.conv2.out_channels
        for b in blocks
        if isinstance(b.shortcut, nn.Identity)
    )
    projection_3x3 = 8 * _architectures.count(projection_convs)
    found = [
        Mistake("total", (total - bn,), NO_BN.format(bn=bn)),
        Mistake("total", (total + bn,), BN_STATISTICS),
        Mistake("total", (total - shortcuts,), NO_PROJECTIONS),
        Mistake("total", (total - projection_bn,), PROJECTION_NO_BN),
        Mistake("total", (total - shortcuts - bn + projection_bn,), PLAIN),
        Mistake("total", (total + sum(m.out_channels for m in convs),), CONV_BIASES),
        Mistake(
            "total",
            (total - models.count_parameters(fc),),
            NO_FC.format(channels=fc.in_features, classes=q["classes"]),
        ),
        Mistake("total", (total + projection_3x3,), PROJECTION_3X3),
        Mistake("total", (total + identity_like,), PROJECTION_EVERYWHERE),
        Mistake("shortcuts", (shortcuts - projection_bn,), PROJECTION_NO_BN),
        Mistake("shortcuts", (shortcuts + projection_bn,), BN_STATISTICS),
        Mistake("shortcuts", (shortcuts + projection_3x3,), PROJECTION_3X3),
        Mistake("shortcuts", (shortcuts + identity_like,), PROJECTION_EVERYWHERE),
        Mistake("shortcuts", (0,), NO_PROJECTIONS),
        Mistake("shortcuts", (total,), WHOLE_NETWORK),
    ]
    return _architectures.finish("resnet_params", _measure, TEXTBOOK, q, found)


TEXTBOOK = {"blocks": (3, 4, 6, 3), "widths": (64, 128, 256, 512), "classes": 1000}

QUESTION = Question(
    parts=(
        Part(
            "shortcuts",
            "the learnable parameters of all the projection shortcuts together (1×1 convolutions and their BN)",
        ),
        Part("total", "the learnable parameters of the whole network"),
    ),
    # ResNet-34 [He et al. 2015; DDL2023 §8.6]: 21,797,672, of which 173,824 in the three projection shortcuts.
    textbook=TEXTBOOK,
    draw=_draw,
    measure=_measure,
    mistakes=_mistakes,
    derived=_derived,
)

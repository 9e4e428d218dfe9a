"""vgg_params: a VGG network's parameters, and where they live (convolutions vs fully connected layers)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from tutor.questions import Mistake, Part, Question

# The paper's configurations A, B, D and E [Simonyan & Zisserman 2014, Table 1]: the architecture, not an answer.
# fmt: off
CONFIGS: dict[int, tuple[int | str, ...]] = {
    11: (64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"),
    13: (64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"),
    16: (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"),
    19: (64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"),
}
# fmt: on
PAPER_SIDE = 224

NO_BIAS = (
    "Did you count the biases? Every filter and every fully connected unit has one: {biases:,} in this part."
)
NO_INPUT_CHANNELS = (
    "Each 3×3 filter spans all channels of its input: a convolution from c_in to c channels has "
    "3·3·c_in·c + c parameters, not 3·3·c + c."
)
FLAT_NO_SIDE = (
    "fc1 connects to every value of the last pooled volume, {flat:,} of them (channels × height × width), "
    "not only to its {channels} channels."
)
FLAT_BEFORE_POOL = (
    "fc1's input is the flattened output of the LAST max-pool: that pool still halves the side."
)
USED_224 = (
    "You worked from a 224 × 224 input, the paper's size. This question's input is {side} × {side}: "
    "each of the five max-pools halves it."
)
NO_FC3 = (
    "Count all three fully connected layers, including the last one that gives the {classes:,} class scores."
)
ONLY_CONV = "That is only the convolutional part. The total adds the three fully connected layers."
ONLY_FC = "That is only the fully connected part. The total adds the convolutions."
SWAPPED = "You swapped the two parts: in VGG the fully connected layers hold most of the parameters."
ONE_BY_ONE = "VGG's convolutions are 3×3: each filter has 3·3·c_in weights, not c_in."


def _draw(rng: random.Random) -> dict[str, Any]:
    return {
        "depth": rng.choice([11, 13, 16, 19]),
        "side": rng.choice([160, 192, 224, 256, 288, 320]),
        "hidden": rng.choice([1024, 2048, 4096]),
        "classes": rng.choice([10, 100, 200, 1000]),
    }


def _derived(q: Mapping[str, Any]) -> dict[str, Any]:
    config = CONFIGS[q["depth"]]
    return {
        "layers": ", ".join(str(item) for item in config),
        "convs": sum(item != "M" for item in config),
    }


def _build(q: Mapping[str, Any], side: int | None = None):  # noqa: ANN202 - a torch model
    from tutor import models
    from tutor.questions import _architectures

    return _architectures.on_meta(
        lambda: models.vgg(CONFIGS[q["depth"]], side or q["side"], q["hidden"], q["classes"])
    )


def _measure(q: Mapping[str, Any]) -> dict[str, tuple[int, ...]]:
    from tutor.questions import _architectures

    return _architectures.split_measure(_build(q))


def _mistakes(q: Mapping[str, Any]) -> list[Mistake]:
    from torch import nn

    from tutor import models
    from tutor.questions import _architectures

    model = _build(q)
    conv, fc = models.split_conv_fc(model)
    total = conv + fc
    convs = _architectures.of_type(model, nn.Conv2d)
    linears = _architectures.of_type(model, nn.Linear)
    found = _architectures.split_mistakes(model, NO_BIAS, SWAPPED, ONLY_CONV, ONLY_FC)
    no_c_in = sum(m.out_channels * 10 for m in convs)
    one_by_one = sum(m.out_channels * (m.in_channels + 1) for m in convs)
    for value, hint in ((no_c_in, NO_INPUT_CHANNELS), (one_by_one, ONE_BY_ONE)):
        found += [Mistake("conv", (value,), hint), Mistake("total", (value + fc,), hint)]
    fc1 = linears[0]
    channels = convs[-1].out_channels
    for values, hint in (
        (channels, FLAT_NO_SIDE.format(flat=fc1.in_features, channels=channels)),
        (fc1.in_features * 4, FLAT_BEFORE_POOL),
    ):
        changed = (values - fc1.in_features) * fc1.out_features
        found += [Mistake("fc", (fc + changed,), hint), Mistake("total", (total + changed,), hint)]
    paper_conv, paper_fc = models.split_conv_fc(_build(q, PAPER_SIDE))
    if paper_fc != fc:
        found += [
            Mistake("fc", (paper_fc,), USED_224.format(side=q["side"])),
            Mistake("total", (paper_conv + paper_fc,), USED_224.format(side=q["side"])),
        ]
    last = models.count_parameters(linears[-1])
    found += [
        Mistake("fc", (fc - last,), NO_FC3.format(classes=q["classes"])),
        Mistake("total", (total - last,), NO_FC3.format(classes=q["classes"])),
    ]
    return _architectures.finish("vgg_params", _measure, TEXTBOOK, q, found)


TEXTBOOK = {"depth": 16, "side": 224, "hidden": 4096, "classes": 1000}

QUESTION = Question(
    parts=(
        Part("conv", "the learnable parameters of the {convs} convolutional layers together"),
        Part("fc", "the learnable parameters of the three fully connected layers together"),
        Part("total", "the learnable parameters of the whole network"),
    ),
    # VGG-16 on 224×224×3 [Simonyan & Zisserman 2014; DDL2023 §8.2]: 14,714,688 + 123,642,856 = 138,357,544.
    textbook=TEXTBOOK,
    draw=_draw,
    measure=_measure,
    mistakes=_mistakes,
    derived=_derived,
)

"""alexnet_params: AlexNet's parameters, and where they live (convolutions vs fully connected layers)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from tutor.questions import Mistake, Part, Question

PAPER_SIDE = 224
NO_BIAS = (
    "Did you count the biases? Every filter and every fully connected unit has one: {biases:,} in this part."
)
USED_224 = (
    "You worked from a 224 × 224 input, the size printed in the AlexNet paper. With 224, (224 − 11)/4 + 1 "
    "is not even a whole number; this question's input is {side} × {side}. Redo the sizes from there: "
    "conv1, then three 3×3 max-pools of stride 2."
)
TWO_GPUS = (
    "That is the original two-GPU AlexNet, where conv2, conv4 and conv5 only see the half of the channels "
    "on their own GPU. This AlexNet is one stream: every filter spans all the channels of its input."
)
FLAT_BEFORE_POOL = (
    "fc1's input is the flattened output of the LAST max-pool, {flat:,} values, not of conv5: "
    "the third pool still shrinks the maps."
)
FLAT_NO_CHANNELS = "fc1 connects to every value of the last pooled volume: channels × height × width of them."
NO_FC3 = (
    "Count all three fully connected layers, including the last one that gives the {classes:,} class scores."
)
ONLY_CONV = "That is only the convolutional part. The total adds the three fully connected layers."
ONLY_FC = "That is only the fully connected part. The total adds the five convolutions."
SWAPPED = "You swapped the two parts: the fully connected layers hold most of AlexNet's parameters, not the convolutions."
NO_INPUT_CHANNELS = (
    "Each filter spans all channels of its input: conv k has f·f·c_in weights per filter, not f·f."
)

BASE_WIDTHS = (96, 256, 384, 384, 256)


def _draw(rng: random.Random) -> dict[str, Any]:
    scale = rng.choice([0.5, 0.75, 1.0, 1.25, 1.5])
    return {
        # Sides where (side − 11)/4 is whole, like 227.
        "side": rng.choice([163, 195, 227, 259, 291]),
        "widths": tuple(int(w * scale) for w in BASE_WIDTHS),
        "hidden": rng.choice([1024, 2048, 4096]),
        "classes": rng.choice([10, 100, 200, 1000]),
    }


def _derived(q: Mapping[str, Any]) -> dict[str, Any]:
    c1, c2, c3, c4, c5 = q["widths"]
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4, "c5": c5}


def _build(q: Mapping[str, Any], side: int | None = None):  # noqa: ANN202 - a torch model
    from tutor import models
    from tutor.questions import _architectures

    return _architectures.on_meta(
        lambda: models.alexnet(side or q["side"], tuple(q["widths"]), q["hidden"], q["classes"])
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
    # The paper's 224: build the same network on a 224 input and count its fully connected part.
    paper_conv, paper_fc = models.split_conv_fc(_build(q, PAPER_SIDE))
    if paper_fc != fc:
        found += [
            Mistake("fc", (paper_fc,), USED_224.format(side=q["side"])),
            Mistake("total", (paper_conv + paper_fc,), USED_224.format(side=q["side"])),
        ]
    # Two GPUs: conv2, conv4 and conv5 had groups=2, so half their weights.
    halved = sum(convs[i].weight.numel() // 2 for i in (1, 3, 4))
    found += [Mistake("conv", (conv - halved,), TWO_GPUS), Mistake("total", (total - halved,), TWO_GPUS)]
    no_c_in = sum(m.out_channels * (m.kernel_size[0] * m.kernel_size[1] + 1) for m in convs)
    found += [
        Mistake("conv", (no_c_in,), NO_INPUT_CHANNELS),
        Mistake("total", (no_c_in + fc,), NO_INPUT_CHANNELS),
    ]
    # Flattening the wrong volume changes fc1's inputs.
    stages = _architectures.stage_outputs(model, (1, 3, q["side"], q["side"]))  # type: ignore[arg-type]
    conv5 = [shape for kind, shape in stages if kind is nn.Conv2d][-1]
    fc1 = linears[0]
    for values, hint in (
        (conv5[0] * conv5[1] * conv5[2], FLAT_BEFORE_POOL.format(flat=fc1.in_features)),
        (fc1.in_features // conv5[0], FLAT_NO_CHANNELS),
    ):
        changed = (values - fc1.in_features) * fc1.out_features
        found += [Mistake("fc", (fc + changed,), hint), Mistake("total", (total + changed,), hint)]
    last = models.count_parameters(linears[-1])
    found += [
        Mistake("fc", (fc - last,), NO_FC3.format(classes=q["classes"])),
        Mistake("total", (total - last,), NO_FC3.format(classes=q["classes"])),
    ]
    return _architectures.finish("alexnet_params", _measure, TEXTBOOK, q, found)


TEXTBOOK = {"side": 227, "widths": BASE_WIDTHS, "hidden": 4096, "classes": 1000}

QUESTION = Question(
    parts=(
        Part("conv", "the learnable parameters of the five convolutional layers together"),
        Part("fc", "the learnable parameters of the three fully connected layers together"),
        Part("total", "the learnable parameters of the whole network"),
    ),
    # AlexNet in one stream on 227×227×3 [Krizhevsky et al. 2012; DDL2023 §8.1]:
    # 3,747,200 + 58,631,144 = 62,378,344.
    textbook=TEXTBOOK,
    draw=_draw,
    measure=_measure,
    mistakes=_mistakes,
    derived=_derived,
)

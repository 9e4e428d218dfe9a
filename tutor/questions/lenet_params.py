"""lenet_params: LeNet-5's learnable parameters, in its convolutions and in total."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from tutor.questions import Mistake, Part, Question

NO_BIAS = (
    "Did you count the biases? Every filter and every fully connected unit has one bias: {biases:,} in all."
)
SOME_BIASES = (
    "You left out the biases of the {which} layers ({biases:,} of them): every filter and every fully "
    "connected unit has one bias, and the total counts them all."
)
POOLING_PARAMETERS = (
    "Average pooling has nothing to learn here: the course's LeNet (like torch.nn.AvgPool2d) takes the "
    "plain mean of each 2×2 window. (The 1998 paper's subsampling layers did have a trainable weight and "
    "bias per channel; this network does not.)"
)
NO_INPUT_CHANNELS = (
    "Each conv2 filter spans all {c1} channels coming out of pool1: it has 5·5·{c1} weights, not 5·5."
)
FLAT_BEFORE_POOL = (
    "fc1's input is the flattened output of pool2, not of conv2: {c2} × {side} × {side} = {flat:,} values."
)
FLAT_NO_CHANNELS = "fc1 sees every channel of pool2's output: its input has channels × height × width values."
ONLY_CONV = "That is only the convolutional part. The total adds the three fully connected layers."
ONLY_FC = "That is only the fully connected part. The total adds the two convolutions."
NO_FC3 = (
    "Count all three fully connected layers, including the last one that gives the {classes} class scores."
)


def _draw(rng: random.Random) -> dict[str, Any]:
    return {
        "side": rng.choice([28, 32, 32, 36, 40, 44, 48]),
        "c1": rng.choice([4, 6, 8, 10]),
        "c2": rng.choice([12, 16, 20, 24, 32]),
        "h1": rng.choice([64, 100, 120, 128, 150]),
        "h2": rng.choice([32, 50, 64, 84, 96]),
        "classes": rng.choice([10, 10, 26, 47]),
    }


def _build(q: Mapping[str, Any]):  # noqa: ANN202 - a torch model
    from tutor import models
    from tutor.questions import _architectures

    return _architectures.on_meta(
        lambda: models.lenet5(q["side"], q["c1"], q["c2"], (q["h1"], q["h2"]), q["classes"])
    )


def _measure(q: Mapping[str, Any]) -> dict[str, tuple[int, ...]]:
    from tutor import models

    model = _build(q)
    conv, _ = models.split_conv_fc(model)
    return {"conv": (conv,), "total": (models.count_parameters(model),)}


def _mistakes(q: Mapping[str, Any]) -> list[Mistake]:
    from torch import nn

    from tutor import models
    from tutor.questions import _architectures

    model = _build(q)
    conv, fc = models.split_conv_fc(model)
    total = conv + fc
    conv_biases = q["c1"] + q["c2"]
    all_biases = _architectures.biases(model)
    pooling = (q["c1"] + q["c2"], 2 * (q["c1"] + q["c2"]))  # one weight (and one bias) per channel
    fc1 = _architectures.of_type(model, nn.Linear)[0]
    flat_in, h1 = fc1.in_features, fc1.out_features
    stages = _architectures.stage_outputs(model, (1, 1, q["side"], q["side"]))
    conv2_side = [shape for kind, shape in stages if kind is nn.Conv2d][1][1]
    side = [shape for kind, shape in stages if kind is nn.AvgPool2d][1][1]
    without_c_in = 5 * 5 * q["c2"] + q["c2"]
    conv2 = _architectures.of_type(model, nn.Conv2d)[1]
    conv2_count = models.count_parameters(conv2)
    last = _architectures.of_type(model, nn.Linear)[-1]
    found = [
        Mistake("conv", (conv - conv_biases,), NO_BIAS.format(biases=conv_biases)),
        Mistake("conv", tuple(conv + extra for extra in pooling), POOLING_PARAMETERS),
        Mistake("conv", (conv - conv2_count + without_c_in,), NO_INPUT_CHANNELS.format(c1=q["c1"])),
        Mistake("total", (total - all_biases,), NO_BIAS.format(biases=all_biases)),
        Mistake(
            "total",
            (total - (all_biases - conv_biases),),
            SOME_BIASES.format(which="fully connected", biases=all_biases - conv_biases),
        ),
        Mistake(
            "total", (total - conv_biases,), SOME_BIASES.format(which="convolutional", biases=conv_biases)
        ),
        Mistake("total", tuple(total + extra for extra in pooling), POOLING_PARAMETERS),
        Mistake("total", (total - conv2_count + without_c_in,), NO_INPUT_CHANNELS.format(c1=q["c1"])),
        Mistake(
            "total",
            (total + (q["c2"] * conv2_side * conv2_side - flat_in) * h1,),
            FLAT_BEFORE_POOL.format(c2=q["c2"], side=side, flat=flat_in),
        ),
        Mistake("total", (total + (side * side - flat_in) * h1,), FLAT_NO_CHANNELS),
        Mistake("total", (conv,), ONLY_CONV),
        Mistake("total", (fc,), ONLY_FC),
        Mistake("total", (total - models.count_parameters(last),), NO_FC3.format(classes=q["classes"])),
    ]
    return _architectures.finish("lenet_params", _measure, TEXTBOOK, q, found)


def _derived(q: Mapping[str, Any]) -> dict[str, Any]:
    return {"volume": f"{q['side']} × {q['side']} × 1"}


TEXTBOOK = {"side": 32, "c1": 6, "c2": 16, "h1": 120, "h2": 84, "classes": 10}

QUESTION = Question(
    parts=(
        Part(
            "conv", "the learnable parameters of the two convolutional layers together (weights and biases)"
        ),
        Part("total", "the learnable parameters of the whole network"),
    ),
    # LeNet-5 as the course describes it [DDL2023 §7.6]: 156 + 2,416 = 2,572 in the convolutions, 61,706 in all.
    textbook=TEXTBOOK,
    draw=_draw,
    measure=_measure,
    mistakes=_mistakes,
    derived=_derived,
)

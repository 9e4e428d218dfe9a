"""why_cnn_params: the parameters of a conv layer vs a fully connected layer with the same output volume."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from tutor.questions import Mistake, Part, Question

NO_BIAS = (
    "Did you count the biases? Every filter (and every output unit of a fully connected layer) has one bias."
)
NO_INPUT_CHANNELS = "Each filter spans all input channels: it has f × f × c weights, not f × f."
NO_SHARING = (
    "That would be a layer with a separate filter at every output position. A conv layer SHARES its filters "
    "across positions: count f × f × c weights per filter, plus one bias, times the number of filters."
)
FC_NO_BIAS = (
    "Did you count the biases? A fully connected layer has one bias per output unit: {outputs:,} of them."
)
FC_WRONG_SIZE = "Connect every input value to every output value: (n·n·c) inputs × (h·w·k) outputs, plus one bias per output."


def _out(q: Mapping[str, Any]) -> int:
    return q["n"] + 2 * q["p"] - q["f"] + 1


def _derived(q: Mapping[str, Any]) -> dict[str, Any]:
    return {"out": _out(q), "inputs": q["n"] * q["n"] * q["c"]}


def _draw(rng: random.Random) -> dict[str, Any]:
    f = rng.choice([3, 5, 5, 7])
    return {
        "n": rng.choice([16, 24, 28, 32, 48, 64]),
        "c": rng.choice([1, 3, 3]),
        "f": f,
        "p": rng.choice([0, (f - 1) // 2]),
        "k": rng.choice([4, 6, 8, 10, 16]),
    }


def _layers_for(q: Mapping[str, Any], bias: bool = True):  # noqa: ANN202 - two torch modules
    from tutor.questions import _layers

    conv = _layers.conv(q["c"], q["k"], q["f"], 1, q["p"], bias=bias)
    k, h, w = _layers.output_shape(conv, q["c"], q["n"], q["n"])
    fc = _layers.linear(q["n"] * q["n"] * q["c"], k * h * w, bias=bias)
    return conv, fc


def _measure(q: Mapping[str, Any]) -> dict[str, tuple[int, ...]]:
    from tutor.questions import _layers

    conv, fc = _layers_for(q)
    return {"conv": (_layers.parameter_count(conv),), "fc": (_layers.parameter_count(fc),)}


def _mistakes(q: Mapping[str, Any]) -> list[Mistake]:
    from tutor.questions import _layers

    conv, fc = _layers_for(q, bias=False)
    outputs = _out(q) ** 2 * q["k"]
    weights = _layers.parameter_count(conv)
    return [
        Mistake("conv", (weights,), NO_BIAS),
        Mistake("conv", (q["f"] ** 2 * q["k"] + q["k"], q["f"] ** 2 * q["k"]), NO_INPUT_CHANNELS),
        Mistake("conv", (weights * _out(q) ** 2, (weights + q["k"]) * _out(q) ** 2), NO_SHARING),
        Mistake("fc", (_layers.parameter_count(fc),), FC_NO_BIAS.format(outputs=outputs)),
        Mistake(
            "fc",
            (q["n"] ** 2 * q["c"] * _out(q) ** 2 + _out(q) ** 2, q["n"] ** 2 * _out(q) ** 2 * q["k"]),
            FC_WRONG_SIZE,
        ),
    ]


QUESTION = Question(
    parts=(
        Part("conv", "the number of learnable parameters of the convolutional layer"),
        Part(
            "fc",
            "the number of learnable parameters of a fully connected layer from the {inputs} input values to the same {out} × {out} × {k} output",
        ),
    ),
    # The classic example: a 32×32×3 image, six 5×5 filters, no padding, so a 28×28×6 output.
    textbook={"n": 32, "c": 3, "f": 5, "p": 0, "k": 6},
    draw=_draw,
    measure=_measure,
    mistakes=_mistakes,
    derived=_derived,
)

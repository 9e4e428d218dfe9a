"""vgg_arithmetic: output shape and parameters of a VGG-style list, measured on a torch-built model."""

from __future__ import annotations

import math

import torch

from tutor import models
from tutor.checking import strategies
from tutor.checking.compare import IntegerComparison
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property

NO_BIAS = "Your parameter count leaves out the biases: each convolution with c filters has c biases on top of its 3·3·c_in·c weights."
NO_PADDING = "You shrank the side at every convolution; with padding 1 a 3×3 convolution keeps the side (n + 2 − 3 + 1 = n)."
POOL_CEIL = "You rounded the pooled side up; a 2×2 window of stride 2 fits ⌊side / 2⌋ times (7 → 3)."
IGNORES_C_IN = "Your parameter count ignores the input channels: every filter spans all c_in channels, 3·3·c_in weights each."
FIRST_C_IN_ONLY = (
    "You used in_channels as the input of every convolution; each convolution's input is the previous "
    "convolution's output channels."
)
ONE_BY_ONE = "You counted 1×1 kernels (c_in·c + c); VGG's convolutions are 3×3, so 9·c_in·c + c."
NEVER_UPDATED = (
    "Your channel count never changes: after each convolution, the next layer's input has that "
    "convolution's channels (channels = c), and so does the network's output."
)
OUTPUT_AS_INPUT = (
    "You used each convolution's own filter count as its input channels (9·c·c + c): its weights are "
    "9·c_in·c, where c_in is the channel count of the layer before."
)
POOL_HALVES_CHANNELS = (
    "Pooling halves the height and width, not the channels: the channel count only changes at a convolution."
)


def _measured(case: Case) -> tuple[tuple[int, int, int], int]:
    config, channels, side = case["config"], case["in_channels"], case["side"]
    with torch.device("meta"):
        features = models.vgg_features(config, channels)
        out = features(torch.empty(1, channels, side, side))
    return tuple(int(s) for s in out.shape[1:]), models.count_parameters(features)  # type: ignore[return-value]


def _walk(
    conv_side=lambda n: n,
    pool_side=lambda n: n // 2,
    params=lambda ci, c: 9 * ci * c + c,
    carry=True,
    pool_channels=lambda c: c,
    update_channels=True,
):  # noqa: ANN001, ANN202 - builds the misconception table
    def predict(case: Case) -> tuple[tuple[int, int, int], int]:
        channels, side, total = case["in_channels"], case["side"], 0
        for item in case["config"]:
            if item == "M":
                side, channels = pool_side(side), pool_channels(channels)
            else:
                total += params(channels if carry else case["in_channels"], item)
                side = conv_side(side)
                channels = item if update_channels else channels
        return (channels, side, side), total

    return predict


def _explicit() -> list[Case]:
    vgg16 = list(models.VGG16_CONFIG)
    return [
        Case.of(("config", [8, "M", 16]), ("in_channels", 3), ("side", 9), label="the statement's example"),
        Case.of(("config", vgg16), ("in_channels", 3), ("side", 224), label="VGG-16's convolutional part"),
        Case.of(
            ("config", [5, "M", "M", 7, "M"]),
            ("in_channels", 2),
            ("side", 31),
            label="odd sides, two pools in a row",
        ),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches the shape and parameter count of the torch-built network",
            function="vgg_arithmetic",
            cases=strategies.vgg_config_cases,
            expect=_measured,
            comparison=IntegerComparison(item_names=("output shape", "parameter count")),
            misconceptions=(
                Misconception(NO_BIAS, _walk(params=lambda ci, c: 9 * ci * c)),
                Misconception(NO_PADDING, _walk(conv_side=lambda n: n - 2)),
                Misconception(POOL_CEIL, _walk(pool_side=lambda n: math.ceil(n / 2))),
                Misconception(IGNORES_C_IN, _walk(params=lambda ci, c: 9 * c + c)),
                Misconception(FIRST_C_IN_ONLY, _walk(carry=False)),
                Misconception(ONE_BY_ONE, _walk(params=lambda ci, c: ci * c + c)),
                Misconception(POOL_HALVES_CHANNELS, _walk(pool_channels=lambda c: c // 2)),
                Misconception(NEVER_UPDATED, _walk(update_channels=False)),
                Misconception(OUTPUT_AS_INPUT, _walk(params=lambda ci, c: 9 * c * c + c)),
            ),
            explicit=_explicit,
            max_examples=80,
        ),
    )
)

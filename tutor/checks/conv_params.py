"""conv_params: the learnable parameters of a conv layer, counted on a real torch.nn.Conv2d."""

from __future__ import annotations

from torch import nn

from tutor.checking import strategies
from tutor.checking.compare import IntegerComparison
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property

NO_BIAS = "Did you count the biases? With bias=True every filter has one bias: add n_filters."
ALWAYS_BIAS = "With bias=False the layer has no biases: count only the weights."
NO_CHANNELS = "Each filter spans every input channel: it has f × f × c_in weights, not f × f."
ONE_FILTER = "That is the count for ONE filter: the layer has n_filters of them."
F_NOT_SQUARED = "The filters are f × f: each has f·f·c_in weights (you used f·c_in)."
ONE_BIAS = "You added a single bias for the whole layer: every filter has its own bias, so add n_filters."
BIAS_PER_CHANNEL = "There is one bias per filter (per output channel), not one per input channel."
PRECEDENCE = (
    "With bias=False your count is 0: `a + b if bias else 0` reads as `(a + b) if bias else 0`, so the "
    "whole count drops, not just the biases. Bracket the conditional: n_filters * f * f * c_in + "
    "(n_filters if bias else 0)."
)


def _measured(case: Case) -> int:
    """Build the layer on the meta device (no memory) and count its parameters."""
    layer = nn.Conv2d(case["c_in"], case["n_filters"], case["f"], bias=case.get("bias", True), device="meta")
    return sum(p.numel() for p in layer.parameters())


def _formula(fn):  # noqa: ANN001, ANN202 - tiny adapter for the misconception table
    return lambda case: fn(case["c_in"], case["f"], case["n_filters"], case.get("bias", True))


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches the parameter count of torch.nn.Conv2d",
            function="conv_params",
            cases=strategies.conv_params_cases,
            expect=_measured,
            comparison=IntegerComparison(),
            max_examples=100,
            misconceptions=(
                Misconception(NO_BIAS, _formula(lambda c, f, k, b: f * f * c * k)),
                Misconception(ALWAYS_BIAS, _formula(lambda c, f, k, b: f * f * c * k + k)),
                Misconception(NO_CHANNELS, _formula(lambda c, f, k, b: f * f * k + (k if b else 0))),
                Misconception(ONE_FILTER, _formula(lambda c, f, k, b: f * f * c + (1 if b else 0))),
                Misconception(F_NOT_SQUARED, _formula(lambda c, f, k, b: f * c * k + (k if b else 0))),
                Misconception(BIAS_PER_CHANNEL, _formula(lambda c, f, k, b: f * f * c * k + (c if b else 0))),
                Misconception(ONE_BIAS, _formula(lambda c, f, k, b: f * f * c * k + (1 if b else 0))),
                Misconception(PRECEDENCE, _formula(lambda c, f, k, b: f * f * c * k + k if b else 0)),
            ),
            explicit=lambda: [
                Case.of(("c_in", 3), ("f", 5), ("n_filters", 6), label="LeNet-like: 5·5·3·6 + 6 = 456"),
                Case.of(("c_in", 3), ("f", 11), ("n_filters", 96), bias=True, label="AlexNet conv1"),
                Case.of(("c_in", 64), ("f", 3), ("n_filters", 128), bias=False, label="no bias"),
                Case.of(("c_in", 16), ("f", 1), ("n_filters", 32), label="1×1 convolution"),
            ],
        ),
    )
)

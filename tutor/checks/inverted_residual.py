"""inverted_residual: MobileNetV2's inverted residual block, its forward and its parameter count.

The forward is checked against a torch.nn block (built below) with BatchNorm folded into each
convolution's weights and bias; the parameter count against the same block as it is trained
(convolutions without bias, each followed by BatchNorm2d). The file's depthwise_conv2d (usually
the student's own, imported) is checked first, so a bug there is reported as what it is.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import torch
from torch import nn

from tutor.checking import strategies
from tutor.checking.compare import IntegerComparison
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _reference as ref
from tutor.checks import depthwise_conv2d as depthwise_check

# -- forward --------------------------------------------------------------------------------------
RELU_AFTER_PROJECTION = (
    "You applied an activation after the 1×1 projection. MobileNetV2's projection is a LINEAR bottleneck: "
    "no ReLU6 after it, because a ReLU in the narrow space throws information away. "
    "ReLU6 follows only the expansion and the depthwise convolution."
)
RESIDUAL_ALWAYS = (
    "You added the input where the block has no residual. It is added only when stride == 1 and "
    "C_in == C_out, a rule about the stride and not about matching shapes (a 1×1 map keeps its shape at "
    "stride 2); otherwise the block returns the projection alone (there is no projection shortcut)."
)
NO_RESIDUAL = (
    "You left out the residual: when stride == 1 and C_in == C_out the block returns x + projection."
)
PLAIN_RELU = "You used ReLU where MobileNetV2 uses ReLU6 = min(max(z, 0), 6): values above 6 are capped at 6."
DEPTHWISE_SUMMED = (
    "Your 3×3 convolution sums across the expanded channels, as a full convolution does. The middle "
    "layer is DEPTHWISE: channel c of its output sees only channel c of its input (use depthwise_conv2d)."
)
STRIDE_ON_EXPANSION = "You put the stride on the 1×1 expansion; it belongs to the 3×3 depthwise convolution (stride s, padding 1)."
NO_DEPTHWISE_RELU = "You left out the ReLU6 after the depthwise convolution: expansion → ReLU6 → depthwise → ReLU6 → projection."
NO_EXPANSION_RELU = (
    "You left out the ReLU6 after the 1×1 expansion: expansion → ReLU6 → depthwise → ReLU6 → projection."
)

# -- parameter count ------------------------------------------------------------------------------
EXPANSION_ON_OUTPUT = (
    "You expanded the output channels: the hidden width is t·c_in (the INPUT is expanded t times), "
    "and the projection brings it down to c_out."
)
DEPTHWISE_FULL_COUNT = (
    "You counted the 3×3 layer as a full convolution (3·3·h·h weights). It is depthwise: one 3×3 filter "
    "per channel, 3·3·h weights with h = t·c_in."
)
NO_BATCH_NORM = "You left out the BatchNorm parameters: each of the three convolutions is followed by BatchNorm with γ and β per channel (2 per channel)."
CONV_BIASES = "You counted a bias for each convolution; a convolution followed by BatchNorm has no bias (β already shifts)."
RUNNING_STATISTICS = "You counted BatchNorm's running mean and variance. They are buffers, not learnable parameters: only γ and β count."
NO_EXPANSION_T1 = (
    "You left out the expansion layer when t = 1 (torchvision does). Here the block always has it: "
    "c_in·h weights plus 2·h for its BatchNorm, also for t = 1."
)
NO_DEPTHWISE_COUNT = "You left out the depthwise layer: 3·3·h weights, plus 2·h for its BatchNorm."

DEPTHWISE_PROPERTY = replace(
    depthwise_check.CHECK.properties[0],
    name="the depthwise_conv2d this file uses matches F.conv2d(groups=C) (run `tutor check depthwise_conv2d` to fix it there)",
    max_examples=20,
    weight=0.15,
)


class InvertedResidual(nn.Module):
    """MobileNetV2's block [Sandler et al. 2018]: 1×1 expand, ReLU6, 3×3 depthwise, ReLU6, 1×1 project (linear).

    folded=True: each convolution has a bias (BatchNorm folded into it, as for deployment).
    folded=False: the block as trained, each convolution without bias and followed by BatchNorm2d.
    The expansion layer is always present here, also when t = 1 (torchvision skips it then).
    """

    def __init__(self, c_in: int, c_out: int, t: int, stride: int = 1, folded: bool = True) -> None:
        super().__init__()
        hidden = t * c_in

        def conv(a: int, b: int, k: int, **options: int) -> list[nn.Module]:
            layer = nn.Conv2d(a, b, k, bias=folded, **options)
            return [layer] if folded else [layer, nn.BatchNorm2d(b)]

        self.expand = nn.Sequential(*conv(c_in, hidden, 1), nn.ReLU6())
        self.depthwise = nn.Sequential(
            *conv(hidden, hidden, 3, stride=stride, padding=1, groups=hidden), nn.ReLU6()
        )
        self.project = nn.Sequential(*conv(hidden, c_out, 1))  # linear: no activation
        self.residual = stride == 1 and c_in == c_out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.project(self.depthwise(self.expand(x)))
        return x + out if self.residual else out


def _forward_expect(case: Case) -> np.ndarray:
    params, stride = case["params"], case.get("stride", 1)
    hidden, c_in = params["expand_w"].shape[:2]
    c_out = params["project_w"].shape[0]
    block = InvertedResidual(c_in, c_out, hidden // c_in, stride).double().eval()
    with torch.no_grad():
        for name, layer in (
            ("expand", block.expand[0]),
            ("depthwise", block.depthwise[0]),
            ("project", block.project[0]),
        ):
            layer.weight.copy_(ref.tensor(params[f"{name}_w"]))
            layer.bias.copy_(ref.tensor(params[f"{name}_b"]))
        return block(ref.tensor(case["x"])).numpy()


def _forward_variant(
    act: str = "relu6",
    project_act: bool = False,
    residual: str = "rule",
    summed: bool = False,
    stride_on_expansion: bool = False,
    expansion_act: bool = True,
    depthwise_act: bool = True,
):  # noqa: ANN202 - builds the misconception table below
    def predict(case: Case) -> np.ndarray:
        x, params, stride = case["x"], case["params"], case.get("stride", 1)

        def activation(z: np.ndarray) -> np.ndarray:
            return np.maximum(z, 0.0) if act == "relu" else np.clip(z, 0.0, 6.0)

        out = ref.conv2d(
            x, params["expand_w"], params["expand_b"], stride=stride if stride_on_expansion else 1
        )
        out = activation(out) if expansion_act else out
        w = params["depthwise_w"]
        if summed:  # a full convolution whose filter o repeats w[o] on every channel
            out = ref.conv2d(
                out,
                np.repeat(w, w.shape[0], axis=1),
                params["depthwise_b"],
                stride=1 if stride_on_expansion else stride,
                padding=1,
            )
        else:
            out = ref.conv2d(
                out,
                w,
                params["depthwise_b"],
                stride=1 if stride_on_expansion else stride,
                padding=1,
                groups=w.shape[0],
            )
        out = activation(out) if depthwise_act else out
        out = ref.conv2d(out, params["project_w"], params["project_b"])
        if project_act:
            out = activation(out)
        if residual == "always":
            return (
                out + x
            )  # numpy broadcasting; raises (prediction undefined) when the shapes do not broadcast
        if residual == "rule" and stride == 1 and x.shape[1] == out.shape[1]:
            return out + x
        return out

    return predict


# -- parameter count --------------------------------------------------------------------------------
def _parameters_expect(case: Case) -> int:
    with torch.device("meta"):
        block = InvertedResidual(case["c_in"], case["c_out"], case["t"], folded=False)
    return sum(p.numel() for p in block.parameters() if p.requires_grad)


def _count(hidden=lambda ci, co, t: t * ci, depthwise=lambda h: 9 * h, bn: int = 2, bias: bool = False):  # noqa: ANN001, ANN202
    def predict(case: Case) -> int:
        c_in, c_out, t = case["c_in"], case["c_out"], case["t"]
        h = hidden(c_in, c_out, t)
        weights = c_in * h + depthwise(h) + h * c_out
        per_channel = bn + (1 if bias else 0)
        return weights + per_channel * (h + h + c_out)

    return predict


def _explicit_forward() -> list[Case]:
    rng = np.random.default_rng(23)

    def case(c_in: int, c_out: int, t: int, stride: int, label: str, size: tuple[int, int] = (6, 5)) -> Case:
        h = t * c_in
        params = {
            "expand_w": rng.normal(0, 1, (h, c_in, 1, 1)),
            "expand_b": rng.normal(0, 1, h),
            "depthwise_w": rng.normal(0, 1, (h, 1, 3, 3)),
            "depthwise_b": rng.normal(0, 1, h),
            "project_w": rng.normal(0, 1, (c_out, h, 1, 1)),
            "project_b": rng.normal(0, 1, c_out),
        }
        return Case.of(
            ("x", rng.normal(0, 3, (2, c_in, *size))), ("params", params), stride=stride, label=label
        )

    return [
        case(3, 3, 4, 1, "stride 1, C_in == C_out: the residual is added"),
        case(3, 3, 2, 2, "stride 2: no residual"),
        case(2, 4, 3, 1, "C_in != C_out at stride 1: no residual"),
        case(4, 2, 1, 2, "expansion factor 1, narrower output"),
        # A 1×1 map keeps its shape at stride 2: the rule is the stride, not whether the shapes match.
        case(3, 3, 2, 2, "a 1×1 map at stride 2: same shape, still no residual", size=(1, 1)),
    ]


CHECK = ExerciseCheck(
    properties=(
        DEPTHWISE_PROPERTY,
        Property(
            name="inverted_residual matches a torch MobileNetV2 block (BN folded) with the same weights",
            function="inverted_residual",
            cases=strategies.inverted_residual_cases,
            expect=_forward_expect,
            misconceptions=(
                Misconception(RELU_AFTER_PROJECTION, _forward_variant(project_act=True)),
                Misconception(RESIDUAL_ALWAYS, _forward_variant(residual="always")),
                Misconception(NO_RESIDUAL, _forward_variant(residual="never")),
                Misconception(PLAIN_RELU, _forward_variant(act="relu")),
                Misconception(DEPTHWISE_SUMMED, _forward_variant(summed=True)),
                Misconception(STRIDE_ON_EXPANSION, _forward_variant(stride_on_expansion=True)),
                Misconception(NO_DEPTHWISE_RELU, _forward_variant(depthwise_act=False)),
                Misconception(NO_EXPANSION_RELU, _forward_variant(expansion_act=False)),
            ),
            explicit=_explicit_forward,
            max_examples=40,
            weight=0.6,
        ),
        Property(
            name="inverted_residual_parameters matches the torch block as trained (convolutions + BatchNorm)",
            function="inverted_residual_parameters",
            cases=strategies.inverted_residual_parameter_cases,
            expect=_parameters_expect,
            comparison=IntegerComparison(),
            misconceptions=(
                Misconception(EXPANSION_ON_OUTPUT, _count(hidden=lambda ci, co, t: t * co)),
                Misconception(DEPTHWISE_FULL_COUNT, _count(depthwise=lambda h: 9 * h * h)),
                Misconception(NO_BATCH_NORM, _count(bn=0)),
                Misconception(CONV_BIASES, _count(bias=True)),
                Misconception(RUNNING_STATISTICS, _count(bn=4)),
                Misconception(
                    NO_EXPANSION_T1,
                    lambda case: (
                        _count()(case) - (case["c_in"] + 2) * case["c_in"] if case["t"] == 1 else None
                    ),
                ),
                Misconception(
                    NO_DEPTHWISE_COUNT, lambda case: _count()(case) - 11 * case["t"] * case["c_in"]
                ),
            ),
            explicit=lambda: [
                Case.of(("c_in", 24), ("c_out", 32), ("t", 6), label="the statement's example"),
                Case.of(
                    ("c_in", 16), ("c_out", 16), ("t", 1), label="t = 1: the expansion layer is still there"
                ),
            ],
            max_examples=60,
            weight=0.25,
        ),
    ),
)

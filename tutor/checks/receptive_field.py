"""receptive_field: the side of the input region one output unit sees, MEASURED with torch.

The reference is not a formula: it builds the stack as 1-channel convolutions (all-ones weights, so
no weight can cancel another) in float64, back-propagates from the first output unit, and counts
the span of input pixels whose gradient is not zero. A square k×k window acts on the height and
the width independently, so measuring along one axis (conv1d) gives the side of the square.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from tutor.checking import strategies
from tutor.checking.compare import IntegerComparison
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property

NO_STRIDES = (
    "You ignored the strides: 1 + Σ(k − 1) is right only when every stride is 1. After a layer of stride s, "
    "neighbouring units are s input pixels apart, so each later kernel reaches (k − 1)·(product of the EARLIER "
    "strides) pixels further: r = r + (k − 1)·j, then j = j·s."
)
ADDED_KERNELS = (
    "You added the kernel sizes. Two stacked 3×3 convolutions see 5 pixels, not 6: the windows overlap, so each "
    "layer adds k − 1 (times the product of the earlier strides) to a field that starts at 1."
)
MULTIPLIED_KERNELS = (
    "You multiplied the kernel sizes; stacked windows overlap. Each layer adds (k − 1)·j to the field, where j "
    "is the product of the earlier strides, starting from r = 1."
)
OWN_STRIDE = (
    "You multiplied each kernel by a product that includes the layer's OWN stride (you updated the jump before "
    "growing r). A layer's stride spaces out its outputs, which matters only for the layers after it: "
    "r = r + (k − 1)·j first, then j = j·s."
)
PREVIOUS_STRIDE_ONLY = (
    "You multiplied each kernel by the stride of the layer just before it only. Strides compound: after strides "
    "2 and 2, neighbouring units are 4 input pixels apart. Keep a running product j = s_1·s_2·…"
)
REVERSED = (
    "You used the output-side recurrence r = (r − 1)·s + k but walked the layers from the input. That recurrence "
    "starts at the OUTPUT (r = 1) and goes back to the input: for (k, s) in reversed(layers). From the input side, "
    "use r = r + (k − 1)·j, j = j·s."
)
START_AT_ZERO = (
    "Your field is 1 too small: start from r = 1 (a unit of the input sees itself); each layer then adds (k − 1)·j. "
    "A single 3×3 layer sees 3 pixels."
)


def _run_stack(layers: list[tuple[int, int]], side: int) -> tuple[torch.Tensor, torch.Tensor] | None:
    """The input (side pixels, requiring grad) and the stack's output, or None if it does not fit."""
    x = torch.zeros(1, 1, side, dtype=torch.float64, requires_grad=True)
    out = x
    for kernel, stride in layers:
        if out.shape[-1] < kernel:
            return None
        out = F.conv1d(out, torch.ones(1, 1, kernel, dtype=torch.float64), stride=stride)
    return x, out


def _measured(case: Case) -> int:
    """Grow the input until the stack has an output, then measure the first output unit's field."""
    layers = [(int(k), int(s)) for k, s in case["layers"]]
    side = 1
    while (run := _run_stack(layers, side)) is None:
        side *= 2
    x, out = run
    out[0, 0, 0].backward()
    seen = torch.nonzero(x.grad[0, 0]).flatten()  # type: ignore[index]
    return int(seen.max() - seen.min() + 1)


def _jumps(layers: list[tuple[int, int]]) -> list[int]:
    """The product of the strides BEFORE each layer (for the misconceptions, not the reference)."""
    return [math.prod(s for _, s in layers[:i]) for i in range(len(layers))]


def _formula(fn):  # noqa: ANN001, ANN202 - tiny adapter for the misconception table
    return lambda case: fn([(int(k), int(s)) for k, s in case["layers"]])


def _previous_stride_only(layers: list[tuple[int, int]]) -> int:
    return 1 + sum((k - 1) * (layers[i - 1][1] if i else 1) for i, (k, _) in enumerate(layers))


def _reversed(layers: list[tuple[int, int]]) -> int:
    r = 1
    for k, s in layers:
        r = (r - 1) * s + k
    return r


ALEXNET = [(11, 4), (3, 2), (5, 1), (3, 2), (3, 1), (3, 1), (3, 1), (3, 2)]
"""conv1, pool1, conv2, pool2, conv3, conv4, conv5, pool5 of AlexNet, as (kernel, stride)."""


def _explicit() -> list[Case]:
    return [
        Case.of(
            ("layers", [(3, 1), (3, 1), (3, 1)]), label="three 3×3 convolutions (the statement's example)"
        ),
        Case.of(("layers", ALEXNET[:2]), label="AlexNet's conv1 and pool1 (the statement's example)"),
        Case.of(("layers", ALEXNET), label="AlexNet up to pool5"),
        Case.of(("layers", []), label="no layers: a unit sees itself"),
        Case.of(("layers", [(2, 2)] * 4), label="four 2×2 poolings of stride 2"),
        Case.of(("layers", [(3, 1), (1, 4)]), label="a stride at the very end changes nothing"),
        Case.of(("layers", [(3, 2), (3, 2), (3, 1)]), label="strides that compound"),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches the receptive field measured with torch autograd through the stack",
            function="receptive_field",
            cases=strategies.receptive_field_cases,
            expect=_measured,
            comparison=IntegerComparison(),
            misconceptions=(
                Misconception(NO_STRIDES, _formula(lambda ls: 1 + sum(k - 1 for k, _ in ls))),
                Misconception(ADDED_KERNELS, _formula(lambda ls: sum(k for k, _ in ls))),
                Misconception(MULTIPLIED_KERNELS, _formula(lambda ls: math.prod(k for k, _ in ls))),
                Misconception(
                    OWN_STRIDE,
                    _formula(lambda ls: 1 + sum((k - 1) * j * s for (k, s), j in zip(ls, _jumps(ls)))),
                ),
                Misconception(PREVIOUS_STRIDE_ONLY, _formula(_previous_stride_only)),
                Misconception(REVERSED, _formula(_reversed)),
                Misconception(
                    START_AT_ZERO, _formula(lambda ls: sum((k - 1) * j for (k, _), j in zip(ls, _jumps(ls))))
                ),
            ),
            explicit=_explicit,
            max_examples=100,
        ),
    )
)

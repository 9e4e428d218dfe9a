"""compound_scaling: EfficientNet's multipliers, with the FLOPs growth measured by FlopCounterMode.

The depth, width and resolution multipliers are compared with α^φ, β^φ, γ^φ computed in float64
by torch. The FLOPs multiplier is compared with a measurement: a plain CNN (BASE_LAYERS 3×3
convolutions of BASE_CHANNELS channels on a BASE_RESOLUTION² input) is built on the meta device,
once as it is and once scaled by the true multipliers (whole layers, channels and pixels), and
FlopCounterMode counts both. Because the scaled network has whole numbers of layers, channels
and pixels, the measured ratio is only close to α^φ·β^2φ·γ^2φ: at most 2.4% off for these sizes
(one extra layer in BASE_LAYERS, half a channel and half a pixel in 512), so the tolerance is 3%.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from tutor.checking import strategies
from tutor.checking.compare import (
    Comparison,
    IntegerComparison,
    Mismatch,
    as_sequence,
    describe_type,
    format_value,
)
from tutor.checking.result import Status
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property

BASE_LAYERS = 50
BASE_CHANNELS = 512
BASE_RESOLUTION = 512
FLOPS_TOLERANCE = 0.03
"""Relative: the measured network rounds to whole layers (≤ 1/BASE_LAYERS = 2%) and to whole channels
and pixels (≤ 0.1% each, squared), so the exact formula is always within 2.4% of the measurement."""
MULTIPLIER_TOLERANCE = 1e-6  # relative: float32 arithmetic passes, every misconception is far away
NAMES = ("depth", "width", "resolution", "FLOPs")

# -- compound_scaling -------------------------------------------------------------------------------
NOT_SQUARED = (
    "Your FLOPs multiplier is (α·β·γ)^φ. A convolution's FLOPs grow linearly with depth but with the SQUARE "
    "of the width (C_in·C_out both grow) and the SQUARE of the resolution (H·W both grow): (α·β²·γ²)^φ."
)
ADDED = (
    "You scaled by 1 + φ·(α − 1) (adding a fixed step per unit of φ). Compound scaling multiplies: each "
    "step of φ multiplies the depth by α again, so the multiplier is α^φ (and β^φ, γ^φ)."
)
SWAPPED = "You mixed up the coefficients: α (1.2) scales the depth, β (1.1) the width (channels), γ (1.15) the resolution."
PHI_AS_BASE = "You raised φ to a power (φ^α). The coefficient is the base and φ the exponent: depth multiplier = α ** phi."
FLOPS_ONE_STEP = (
    "Your FLOPs multiplier is α·β²·γ², the growth for ONE step of φ. For φ steps it is (α·β²·γ²)^φ, "
    "about 2^φ with EfficientNet's coefficients."
)
FLOPS_TWO_POWER = (
    "Your FLOPs multiplier is 2^φ. α·β²·γ² ≈ 2 is the constraint the coefficients were chosen to meet, "
    "approximately (1.2 · 1.1² · 1.15² ≈ 1.92), and other coefficients may not meet it at all: compute the "
    "growth from the coefficients themselves, (α·β²·γ²)^φ = d·w²·r²."
)
NO_DEPTH = (
    "Your FLOPs multiplier leaves out the depth: β^2φ·γ^2φ is the growth of ONE layer. The network has α^φ "
    "times as many layers, and FLOPs grow linearly with them: α^φ·β^2φ·γ^2φ."
)
DEPTH_SQUARED = "Your FLOPs multiplier squares the depth too. FLOPs grow LINEARLY with the number of layers: α^φ·β^2φ·γ^2φ."
WRONG_ORDER = "You returned the multipliers in the wrong order: (depth, width, resolution, FLOPs)."

# -- scale_network --------------------------------------------------------------------------------
ZERO_CHANNELS = (
    "Your network has 0 channels (or a 0-pixel input): int() rounds down, and a small width scaled down "
    "rounds to nothing. Round to the nearest integer and keep at least 1: max(1, round(channels · β^φ))."
)
NO_MINIMUM = (
    "Your network has 0 channels: scaled down far enough (β^φ < 1/2, e.g. φ = −8), round(channels · β^φ) "
    "is 0 for a narrow layer. Keep at least one: max(1, round(channels · β^φ)), and the same for the resolution."
)
WIDTH_FLOORED = (
    "You rounded the channels or the resolution down (int() truncates: 35.7 becomes 35, and a scaled-down 0.95 "
    "channel becomes 0): round them to the NEAREST integer and keep at least 1, max(1, round(...))."
)
DEPTH_ROUNDED = "You rounded the number of layers to the nearest integer; EfficientNet rounds the depth UP, math.ceil(layers · α^φ), so no stage loses a layer."
DEPTH_FLOORED = "You rounded the number of layers down (int()); EfficientNet rounds the depth UP: math.ceil(layers · α^φ)."
SCALE_SWAPPED = "You scaled with the wrong coefficient: layers with α = 1.2, channels with β = 1.1, resolution with γ = 1.15."
SCALE_ADDED = "You scaled by 1 + φ·(coefficient − 1). Compound scaling multiplies: layers · α^φ, channels · β^φ, resolution · γ^φ."


@dataclass(frozen=True)
class ScalingComparison(Comparison):
    """Four real numbers: three multipliers (to MULTIPLIER_TOLERANCE) and a FLOPs ratio (to FLOPS_TOLERANCE), relative."""

    def compare(self, expected: Any, got: Any) -> Mismatch | None:
        shown = format_value(tuple(expected))
        items = as_sequence(got)
        if items is None or len(items) != len(expected):
            return Mismatch(
                Status.WRONG_TYPE,
                f"returned {format_value(got)} (a {describe_type(got)}), but a tuple of 4 floats "
                "(depth, width, resolution, FLOPs) was expected.",
                expected=shown,
                got=format_value(got),
            )
        for position, (name, want, have) in enumerate(zip(NAMES, expected, items)):
            if isinstance(have, bool) or not isinstance(have, numbers.Real):
                return Mismatch(
                    Status.WRONG_TYPE,
                    f"returned a {describe_type(have)} as item {position} ({name}), but a float was expected.",
                    expected=shown,
                    got=format_value(got),
                )
            tolerance = FLOPS_TOLERANCE if position == 3 else MULTIPLIER_TOLERANCE
            if not math.isfinite(float(have)) or abs(float(have) - want) > tolerance * max(1.0, abs(want)):
                what = "the ratio FlopCounterMode measured" if position == 3 else "the reference"
                return Mismatch(
                    Status.FAILED,
                    f"returned {name} multiplier {float(have):.6g}, but {what} is {want:.6g} (tolerance {tolerance:g}, relative).",
                    expected=shown,
                    got=format_value(got),
                    tolerance=f"relative {tolerance:g}",
                )
        return None


def _coefficients(case: Case) -> tuple[float, float, float]:
    defaults = strategies.EFFICIENTNET_COEFFICIENTS
    return case.get("alpha", defaults[0]), case.get("beta", defaults[1]), case.get("gamma", defaults[2])


def _powers(case: Case) -> tuple[float, float, float]:
    phi = torch.tensor(float(case["phi"]), dtype=torch.float64)
    return tuple(float(torch.pow(torch.tensor(c, dtype=torch.float64), phi)) for c in _coefficients(case))  # type: ignore[return-value]


def plain_cnn_flops(layers: int, channels: int, resolution: int) -> int:
    """FLOPs FlopCounterMode counts for `layers` 3×3 convolutions (padding 1, no bias) of `channels`
    channels on a resolution × resolution input. The layers are identical and padding 1 keeps the
    side, so the network counts `layers` times one layer's FLOPs (tests measure whole networks to
    hold this to account); one layer is measured, on the meta device, once per shape."""
    return layers * conv3x3_flops(channels, resolution)


@lru_cache(maxsize=256)
def conv3x3_flops(channels: int, resolution: int) -> int:
    """FLOPs FlopCounterMode counts for one 3×3 convolution (padding 1, no bias) on the meta device."""
    with torch.device("meta"):
        conv = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        x = torch.empty(1, channels, resolution, resolution)
        with FlopCounterMode(display=False) as counter:
            conv(x)
    return counter.get_total_flops()


def network_flops(layers: int, channels: int, resolution: int) -> int:
    """The whole plain network measured at once (`layers` convolutions in a Sequential): slower,
    for tests that hold plain_cnn_flops to account."""
    with torch.device("meta"):
        conv = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        network = nn.Sequential(
            *[conv] * layers
        )  # the same layer repeated: FLOPs do not depend on the weights
        x = torch.empty(1, channels, resolution, resolution)
        with FlopCounterMode(display=False) as counter:
            network(x)
    return counter.get_total_flops()


@lru_cache(maxsize=256)
def _measured_ratio(depth: float, width: float, resolution: float) -> float:
    scaled = plain_cnn_flops(
        math.ceil(BASE_LAYERS * depth), round(BASE_CHANNELS * width), round(BASE_RESOLUTION * resolution)
    )
    return scaled / plain_cnn_flops(BASE_LAYERS, BASE_CHANNELS, BASE_RESOLUTION)


def _scaling_expect(case: Case) -> tuple[float, float, float, float]:
    d, w, r = _powers(case)
    return d, w, r, _measured_ratio(d, w, r)


def _scaling_variant(multipliers, flops=None):  # noqa: ANN001, ANN202 - builds the misconception table
    """multipliers(phi, a, b, g) -> (d, w, r); flops(phi, a, b, g, d, w, r) -> FLOPs (default d·w²·r²)."""

    def predict(case: Case) -> tuple[float, float, float, float]:
        phi, (a, b, g) = case["phi"], _coefficients(case)
        d, w, r = multipliers(phi, a, b, g)
        return d, w, r, (flops(phi, a, b, g, d, w, r) if flops else d * w * w * r * r)

    return predict


def _right(phi, a, b, g):  # noqa: ANN001, ANN202
    return a**phi, b**phi, g**phi


# -- scale_network ---------------------------------------------------------------------------------
def _network_expect(case: Case) -> tuple[int, int, int]:
    d, w, r = _powers(case)
    base = torch.tensor([case["layers"], case["channels"], case["resolution"]], dtype=torch.float64)
    scaled = base * torch.tensor([d, w, r], dtype=torch.float64)
    layers = int(torch.ceil(scaled[0]))
    channels, resolution = (max(1, int(torch.round(v))) for v in scaled[1:])
    return layers, channels, resolution


def _network_variant(
    depth=math.ceil,
    size=lambda v: max(1, round(v)),
    coefficients=lambda a, b, g: (a, b, g),
    added=False,
    only_if_zero=False,
):  # noqa: ANN001, ANN202 - builds the misconception table
    def predict(case: Case) -> tuple[int, int, int] | None:
        phi = case["phi"]
        a, b, g = coefficients(*strategies.EFFICIENTNET_COEFFICIENTS)
        scale = (lambda c: 1 + phi * (c - 1)) if added else (lambda c: c**phi)
        result = (
            depth(case["layers"] * scale(a)),
            size(case["channels"] * scale(b)),
            size(case["resolution"] * scale(g)),
        )
        if only_if_zero and 0 not in result:
            return None
        return result  # type: ignore[return-value]

    return predict


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="compound_scaling: α^φ, β^φ, γ^φ, and the FLOPs growth FlopCounterMode measures on a scaled CNN (3%)",
            function="compound_scaling",
            cases=strategies.compound_scaling_cases,
            expect=_scaling_expect,
            comparison=ScalingComparison(),
            misconceptions=(
                Misconception(
                    NOT_SQUARED, _scaling_variant(_right, lambda p, a, b, g, d, w, r: (a * b * g) ** p)
                ),
                Misconception(NOT_SQUARED, _scaling_variant(_right, lambda p, a, b, g, d, w, r: d * w * r)),
                Misconception(
                    ADDED,
                    _scaling_variant(lambda p, a, b, g: (1 + p * (a - 1), 1 + p * (b - 1), 1 + p * (g - 1))),
                ),
                Misconception(SWAPPED, _scaling_variant(lambda p, a, b, g: (b**p, a**p, g**p))),
                Misconception(SWAPPED, _scaling_variant(lambda p, a, b, g: (g**p, b**p, a**p))),
                Misconception(SWAPPED, _scaling_variant(lambda p, a, b, g: (a**p, g**p, b**p))),
                Misconception(PHI_AS_BASE, _scaling_variant(lambda p, a, b, g: (p**a, p**b, p**g))),
                Misconception(
                    FLOPS_ONE_STEP, _scaling_variant(_right, lambda p, a, b, g, d, w, r: a * b * b * g * g)
                ),
                Misconception(NO_DEPTH, _scaling_variant(_right, lambda p, a, b, g, d, w, r: w * w * r * r)),
                Misconception(FLOPS_TWO_POWER, _scaling_variant(_right, lambda p, a, b, g, d, w, r: 2.0**p)),
                Misconception(
                    DEPTH_SQUARED, _scaling_variant(_right, lambda p, a, b, g, d, w, r: (d * w * r) ** 2)
                ),
            ),
            explicit=lambda: [
                Case.of(("phi", 1), label="the statement's example: one step of φ"),
                Case.of(("phi", 0), label="φ = 0: EfficientNet-B0 itself"),
                Case.of(
                    ("phi", 3.5),
                    alpha=1.1,
                    beta=1.2,
                    gamma=1.25,
                    label="other coefficients, given by keyword",
                ),
            ],
            max_examples=40,
            weight=0.6,
        ),
        Property(
            name="scale_network: ceil(layers·α^φ), max(1, round(channels·β^φ)), max(1, round(resolution·γ^φ))",
            function="scale_network",
            cases=strategies.scale_network_cases,
            expect=_network_expect,
            comparison=IntegerComparison(item_names=("number of layers", "number of channels", "resolution")),
            misconceptions=(
                Misconception(NO_MINIMUM, _network_variant(size=round, only_if_zero=True)),
                Misconception(ZERO_CHANNELS, _network_variant(size=int, only_if_zero=True)),
                Misconception(WIDTH_FLOORED, _network_variant(size=lambda v: max(1, int(v)))),
                Misconception(WIDTH_FLOORED, _network_variant(size=int)),
                Misconception(DEPTH_ROUNDED, _network_variant(depth=round)),
                Misconception(DEPTH_FLOORED, _network_variant(depth=int)),
                Misconception(SCALE_SWAPPED, _network_variant(coefficients=lambda a, b, g: (b, a, g))),
                Misconception(SCALE_SWAPPED, _network_variant(coefficients=lambda a, b, g: (g, b, a))),
                Misconception(SCALE_SWAPPED, _network_variant(coefficients=lambda a, b, g: (a, g, b))),
                Misconception(SCALE_ADDED, _network_variant(added=True)),
            ),
            explicit=lambda: [
                Case.of(
                    ("phi", 1),
                    ("layers", 16),
                    ("channels", 32),
                    ("resolution", 224),
                    label="the statement's example",
                ),
                Case.of(
                    ("phi", -2),
                    ("layers", 3),
                    ("channels", 1),
                    ("resolution", 32),
                    label="scaled down: the width must stay at least 1",
                ),
                Case.of(
                    ("phi", -8),
                    ("layers", 4),
                    ("channels", 1),
                    ("resolution", 40),
                    label="scaled far down: 1 · 1.1^−8 ≈ 0.47 rounds to 0, so max(1, ...) matters",
                ),
            ],
            max_examples=60,
            weight=0.4,
        ),
    ),
)

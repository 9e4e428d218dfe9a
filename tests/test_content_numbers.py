"""Numbers stated in lessons and statements, measured with torch (issue 13, content errors)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from tutor.catalog import course

ROOT = Path(__file__).resolve().parent.parent


def _lesson(name: str) -> str:
    return (ROOT / "tutor" / "course" / "lessons" / f"{name}.md").read_text(encoding="utf-8")


def test_same_padding_coverage_counts_in_the_padding_lesson() -> None:
    """How many 3×3 windows (padding 1, stride 1) cover each pixel: a transposed conv of ones."""
    ones = torch.ones(1, 1, 6, 6, dtype=torch.float64)
    covered = F.conv_transpose2d(
        torch.ones_like(ones), torch.ones(1, 1, 3, 3, dtype=torch.float64), padding=1
    )[0, 0]
    corner, edge, interior = int(covered[0, 0]), int(covered[0, 2]), int(covered[2, 2])
    text = " ".join(_lesson("padding_stride").split())
    assert (
        f"a corner pixel is covered by {corner} windows, an edge pixel by {edge} and an interior pixel by {interior}"
        in text
    )
    assert "as often as central ones" not in text


def test_sigmoid_of_minus_720_as_stated() -> None:
    x = torch.tensor(-720.0, dtype=torch.float64)
    exact = torch.exp(F.logsigmoid(x)).item()
    assert 0 < exact < sys.float_info.min  # subnormal
    assert torch.sigmoid(x).item() == 0.0  # so "like torch.sigmoid" would mislead
    mantissa = f"{exact:.2e}".split("e")[0]  # '2.03'
    files = [
        course().exercise("activations").statement_path(),
        ROOT / "exercises" / "activations.py",
        ROOT / "tutor" / "checks" / "activations.py",
    ]
    for path in files:
        text = path.read_text(encoding="utf-8")
        stated = re.findall(r"(\d\.\d+)\s*[·e]\s*(?:10)?[⁻−-](?:313|³¹³)", text)
        assert stated, f"{path} states no value for sigmoid(-720)"
        assert all(value == mantissa for value in stated), (path, stated, mantissa)


def test_filter_sizes_layers_are_realistic_and_have_one_answer() -> None:
    import random

    from tutor.questions import filter_sizes

    for seed in range(40):
        spec = filter_sizes._draw(random.Random(seed))
        size = spec["size"]
        for name in filter_sizes.LAYERS:
            layer = spec[name]
            assert layer["p"] <= (layer["f"] - 1) // 2, (seed, name, layer)  # never grows the volume
            out = (size + 2 * layer["p"] - layer["f"]) // layer["s"] + 1
            assert out <= size
            size = out
        accepted = filter_sizes._measure(spec)  # measured with real Conv2d layers
        for name in filter_sizes.LAYERS:
            assert accepted[f"{name}_size"] == (spec[name]["f"],), (seed, name, spec[name], accepted)


def test_filter_sizes_off_by_one_hint_holds_for_strided_layers() -> None:
    from tutor.questions import filter_sizes

    assert "s·(n_out − 1)" in filter_sizes.OFF_BY_ONE


def test_alexnet_one_stream_and_grouped_counts_in_the_lesson() -> None:
    from torch import nn

    from tutor import models

    with torch.device("meta"):
        one_stream = models.alexnet()
        convs = [layer for layer in one_stream if isinstance(layer, nn.Conv2d)]
        grouped = nn.Sequential(
            *[
                nn.Conv2d(c.in_channels, c.out_channels, c.kernel_size, c.stride, c.padding, groups=2)
                if i in (1, 3, 4)  # conv2, conv4, conv5 ran on two GPUs, each seeing half the channels
                else c
                for i, c in enumerate(convs)
            ],
            *[layer for layer in one_stream if isinstance(layer, nn.Linear)],
        )
    text = " ".join(_lesson("alexnet_vgg").split())
    assert f"{models.count_parameters(one_stream):,} parameters" in text
    assert f"{models.count_parameters(grouped):,}" in text


@pytest.mark.parametrize(
    "layers, channels, resolution", [(1, 3, 5), (4, 16, 33), (50, 512, 512), (83, 700, 620)]
)
def test_compound_scaling_counts_a_plain_network_as_its_layers_times_one(
    layers: int, channels: int, resolution: int
) -> None:
    """compound_scaling measures one convolution and multiplies by the depth; FlopCounterMode on
    the whole network must agree, from the base network to a scaled one with an odd side."""
    from tutor.checks import compound_scaling

    assert compound_scaling.plain_cnn_flops(layers, channels, resolution) == compound_scaling.network_flops(
        layers, channels, resolution
    )

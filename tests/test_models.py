"""The reference builders reproduce the published totals (counted on the meta device: no memory, no compute)."""

from __future__ import annotations

import pytest
import torch

from tutor import models

PUBLISHED = {
    "lenet5": 61_706,
    "alexnet": 62_378_344,
    "vgg16": 138_357_544,
    "resnet34": 21_797_672,
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_parameter_totals(name: str) -> None:
    with torch.device("meta"):
        model = getattr(models, name)()
    assert models.count_parameters(model) == PUBLISHED[name]


def test_lenet_shapes_after_every_stage() -> None:
    shapes = [shape for _, shape in models.stage_shapes(models.lenet5(), (3, 1, 32, 32))]
    assert shapes == [
        (3, 6, 28, 28),
        (3, 6, 28, 28),
        (3, 6, 14, 14),
        (3, 16, 10, 10),
        (3, 16, 10, 10),
        (3, 16, 5, 5),
        (3, 400),
        (3, 120),
        (3, 120),
        (3, 84),
        (3, 84),
        (3, 10),
    ]


def test_lenet_real_forward_is_n_by_10() -> None:
    assert models.lenet5()(torch.zeros(2, 1, 32, 32)).shape == (2, 10)


@pytest.mark.parametrize(
    ("name", "side", "flat"), [("alexnet", 227, 256 * 6 * 6), ("vgg16", 224, 512 * 7 * 7)]
)
def test_big_models_flatten_where_the_paper_says(name: str, side: int, flat: int) -> None:
    with torch.device("meta"):
        model = getattr(models, name)()
    shapes = dict(models.stage_shapes(model, (1, 3, side, side)))
    assert (1, flat) in shapes.values()
    assert list(shapes.values())[-1] == (1, 1000)


def test_conv_and_fc_parts_add_up() -> None:
    with torch.device("meta"):
        vgg, alex = models.vgg16(), models.alexnet()
    assert models.split_conv_fc(vgg) == (14_714_688, 123_642_856)
    assert models.split_conv_fc(alex) == (3_747_200, 58_631_144)
    for model in (vgg, alex):
        assert sum(models.split_conv_fc(model)) == models.count_parameters(model)


def test_resnet34_ends_in_512_by_7_by_7() -> None:
    with torch.device("meta"):
        model = models.resnet34()
    shapes = [shape for _, shape in models.stage_shapes(model, (1, 3, 224, 224))]
    assert shapes[-4] == (1, 512, 7, 7)
    assert sum(isinstance(m, models.BasicBlock) for m in model) == 16


def test_basic_block_projection_only_when_needed() -> None:
    assert isinstance(models.BasicBlock(8, 8, 1).shortcut, torch.nn.Identity)
    assert not isinstance(models.BasicBlock(8, 16, 2).shortcut, torch.nn.Identity)


def _bottleneck_resnet_count(blocks: tuple[int, ...], widths: tuple[int, ...], classes: int) -> int:
    """ResNet with bottleneck blocks counted by hand: convolutions without bias, γ and β per BN channel."""
    conv = lambda c_in, c_out, k: k * k * c_in * c_out  # noqa: E731
    bn = lambda c: 2 * c  # noqa: E731
    total = conv(3, widths[0], 7) + bn(widths[0])
    channels = widths[0]
    for stage, (count, width) in enumerate(zip(blocks, widths)):
        for index in range(count):
            out = 4 * width
            total += conv(channels, width, 1) + bn(width) + conv(width, width, 3) + bn(width)
            total += conv(width, out, 1) + bn(out)
            if (stage > 0 and index == 0) or channels != out:
                total += conv(channels, out, 1) + bn(out)
            channels = out
    return total + channels * classes + classes


def test_resnet50_count_matches_an_independent_count() -> None:
    with torch.device("meta"):
        model = models.resnet50()
    assert models.count_parameters(model) == _bottleneck_resnet_count((3, 4, 6, 3), (64, 128, 256, 512), 1000)
    assert sum(isinstance(m, models.Bottleneck) for m in model) == 16


def test_bottleneck_block_strides_the_3x3_and_projects_only_when_needed() -> None:
    """torchvision's v1.5 convention, which the bottleneck_block statement states."""
    block = models.Bottleneck(64, 32, stride=2)
    assert (block.conv1.stride, block.conv2.stride, block.conv3.stride) == ((1, 1), (2, 2), (1, 1))
    assert block.conv3.out_channels == 4 * 32
    assert isinstance(models.Bottleneck(128, 32, 1).shortcut, torch.nn.Identity)
    assert not isinstance(models.Bottleneck(64, 64, 1).shortcut, torch.nn.Identity)  # 64 → 256
    assert models.Bottleneck(8, 2, 2)(torch.zeros(1, 8, 7, 5)).shape == (1, 8, 4, 3)

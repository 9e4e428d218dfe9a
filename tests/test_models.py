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

"""Reference models built with torch.nn (there is no CPU torchvision here).

Every true answer about an architecture (shapes, parameter counts, FLOPs) is measured on one of
these models, never typed in. Each builder takes the knobs that per-student variants change
(widths, input size, stage counts); the defaults are the textbook models:

    lenet5()   61,706        alexnet()  62,378,344
    vgg16()   138,357,544    resnet34() 21,797,672
    resnet50() 25,557,032 (bottleneck blocks, as torchvision's)

Build large models on the meta device (`with torch.device("meta"): ...`) to count parameters or
read shapes without allocating or computing anything; `count_parameters` and `stage_shapes`
work there.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

VGG16_CONFIG: tuple[int | str, ...] = (
    64,
    64,
    "M",
    128,
    128,
    "M",
    256,
    256,
    256,
    "M",
    512,
    512,
    512,
    "M",
    512,
    512,
    512,
    "M",
)
"""Output channels of each 3×3 convolution (padding 1), and "M" for a 2×2 max-pool of stride 2."""
RESNET34_BLOCKS = (3, 4, 6, 3)
RESNET_WIDTHS = (64, 128, 256, 512)


def count_parameters(model: nn.Module) -> int:
    """Learnable parameters (BatchNorm's running statistics are buffers, not parameters)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def stage_shapes(model: nn.Sequential, input_shape: Sequence[int]) -> list[tuple[str, tuple[int, ...]]]:
    """(layer name, output shape) after every child of a Sequential, measured on the meta device."""
    x = torch.empty(*input_shape, device="meta")
    shapes = []
    with torch.no_grad():
        for name, layer in model.named_children():
            x = layer.to("meta")(x)
            shapes.append((f"{name}: {type(layer).__name__}", tuple(x.shape)))
    return shapes


# -- LeNet-5 -----------------------------------------------------------------------------------
def lenet5(
    input_side: int = 32, c1: int = 6, c2: int = 16, hidden: tuple[int, int] = (120, 84), classes: int = 10
) -> nn.Sequential:
    """LeNet-5 as the course describes it [DDL2023 §7.6, LeCun et al. 1998].

    32×32×1 input; 5×5 convolutions without padding, each followed by a sigmoid and a 2×2
    average pool of stride 2; then fully connected 400 → 120 → 84 → 10 with sigmoids between.
    """
    side = ((input_side - 4) // 2 - 4) // 2
    return nn.Sequential(
        nn.Conv2d(1, c1, kernel_size=5),
        nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(c1, c2, kernel_size=5),
        nn.Sigmoid(),
        nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Flatten(),
        nn.Linear(c2 * side * side, hidden[0]),
        nn.Sigmoid(),
        nn.Linear(hidden[0], hidden[1]),
        nn.Sigmoid(),
        nn.Linear(hidden[1], classes),
    )


# -- AlexNet -----------------------------------------------------------------------------------
def alexnet(
    input_side: int = 227,
    widths: tuple[int, ...] = (96, 256, 384, 384, 256),
    hidden: int = 4096,
    classes: int = 1000,
) -> nn.Sequential:
    """AlexNet in one stream (the two-GPU split merged), 227×227×3 input [Krizhevsky et al. 2012; DDL2023 §8.1].

    conv 11×11/4 → max-pool 3/2 → conv 5×5 pad 2 → max-pool 3/2 → three conv 3×3 pad 1 →
    max-pool 3/2 → FC hidden → FC hidden → FC classes. (No local response normalisation: it has
    no parameters, and dropout has none either.)
    """
    c1, c2, c3, c4, c5 = widths
    side = input_side
    side = (side - 11) // 4 + 1
    side = (side - 3) // 2 + 1
    side = (side - 3) // 2 + 1
    side = (side - 3) // 2 + 1
    return nn.Sequential(
        nn.Conv2d(3, c1, kernel_size=11, stride=4),
        nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(c1, c2, kernel_size=5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(c2, c3, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.Conv2d(c3, c4, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.Conv2d(c4, c5, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Flatten(),
        nn.Linear(c5 * side * side, hidden),
        nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(hidden, hidden),
        nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(hidden, classes),
    )


# -- VGG ---------------------------------------------------------------------------------------
def vgg_features(config: Sequence[int | str], in_channels: int = 3) -> nn.Sequential:
    """The convolutional part: 3×3 convolutions of padding 1 with ReLU, and "M" = 2×2 max-pool of stride 2."""
    layers: list[nn.Module] = []
    channels = in_channels
    for item in config:
        if item == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        else:
            layers += [nn.Conv2d(channels, int(item), kernel_size=3, padding=1), nn.ReLU()]
            channels = int(item)
    return nn.Sequential(*layers)


def vgg(
    config: Sequence[int | str] = VGG16_CONFIG, input_side: int = 224, hidden: int = 4096, classes: int = 1000
) -> nn.Sequential:
    """VGG [Simonyan & Zisserman 2014; DDL2023 §8.2]: vgg_features, then FC hidden → hidden → classes."""
    features = vgg_features(config)
    channels = [int(c) for c in config if c != "M"][-1]
    side = input_side // 2 ** sum(1 for c in config if c == "M")
    return nn.Sequential(
        *features,
        nn.Flatten(),
        nn.Linear(channels * side * side, hidden),
        nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(hidden, hidden),
        nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(hidden, classes),
    )


def vgg16() -> nn.Sequential:
    return vgg(VGG16_CONFIG)


def split_conv_fc(model: nn.Module) -> tuple[int, int]:
    """(parameters in convolutions, parameters in fully connected layers)."""
    conv = sum(count_parameters(m) for m in model.modules() if isinstance(m, nn.Conv2d))
    fc = sum(count_parameters(m) for m in model.modules() if isinstance(m, nn.Linear))
    return conv, fc


# -- ResNet ------------------------------------------------------------------------------------
class BasicBlock(nn.Module):
    """ResNet's basic block [He et al. 2015]: conv3×3–BN–ReLU–conv3×3–BN, plus the shortcut, then ReLU.

    The shortcut is the identity when the shape is kept, otherwise a 1×1 convolution of the
    block's stride followed by BN (the "projection", option B of the paper).
    """

    def __init__(self, c_in: int, c_out: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.shortcut: nn.Module = nn.Identity()
        if stride != 1 or c_in != c_out:
            self.shortcut = nn.Sequential(
                nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False), nn.BatchNorm2d(c_out)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + self.shortcut(x))


def resnet(
    blocks: Sequence[int] = RESNET34_BLOCKS, widths: Sequence[int] = RESNET_WIDTHS, classes: int = 1000
) -> nn.Sequential:
    """ResNet with basic blocks: 7×7/2 stem, BN, ReLU, 3×3/2 max-pool, stages, global average pool, FC."""
    layers: list[nn.Module] = [
        nn.Conv2d(3, widths[0], 7, stride=2, padding=3, bias=False),
        nn.BatchNorm2d(widths[0]),
        nn.ReLU(),
        nn.MaxPool2d(3, stride=2, padding=1),
    ]
    channels = widths[0]
    for stage, (count, width) in enumerate(zip(blocks, widths)):
        for index in range(count):
            stride = 2 if stage > 0 and index == 0 else 1
            layers.append(BasicBlock(channels, width, stride))
            channels = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, classes)]
    return nn.Sequential(*layers)


def resnet34() -> nn.Sequential:
    return resnet(RESNET34_BLOCKS, RESNET_WIDTHS)


# -- ResNet with bottleneck blocks (ResNet-50) -------------------------------------------------
RESNET50_BLOCKS = (3, 4, 6, 3)
BOTTLENECK_EXPANSION = 4


class Bottleneck(nn.Module):
    """ResNet's bottleneck block [He et al. 2015 §4]: 1×1 (reduce) – 3×3 – 1×1 (expand ×4), BN after each.

    conv1 reduces c_in to `width`, conv2 is the 3×3 at `width`, conv3 expands to 4·width, then the
    shortcut is added and one ReLU follows. The stride sits on the 3×3 (conv2), as in torchvision's
    "ResNet v1.5"; the paper put it on the first 1×1. The shortcut is the identity when the shape is
    kept, otherwise a 1×1 convolution of the block's stride followed by BN.
    """

    def __init__(self, c_in: int, width: int, stride: int = 1, expansion: int = BOTTLENECK_EXPANSION) -> None:
        super().__init__()
        self.expansion = expansion
        c_out = width * expansion
        self.conv1 = nn.Conv2d(c_in, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, c_out, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(c_out)
        self.shortcut: nn.Module = nn.Identity()
        if stride != 1 or c_in != c_out:
            self.shortcut = nn.Sequential(
                nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False), nn.BatchNorm2d(c_out)
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.relu(self.bn1(self.conv1(x)))
        out = torch.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return torch.relu(out + self.shortcut(x))


def bottleneck_resnet(
    blocks: Sequence[int] = RESNET50_BLOCKS,
    widths: Sequence[int] = RESNET_WIDTHS,
    classes: int = 1000,
    expansion: int = BOTTLENECK_EXPANSION,
) -> nn.Sequential:
    """ResNet with bottleneck blocks: the stem of `resnet`, stages of Bottleneck blocks whose
    outputs are expansion·width channels (4 in the paper), global average pooling, FC."""
    layers: list[nn.Module] = [
        nn.Conv2d(3, widths[0], 7, stride=2, padding=3, bias=False),
        nn.BatchNorm2d(widths[0]),
        nn.ReLU(),
        nn.MaxPool2d(3, stride=2, padding=1),
    ]
    channels = widths[0]
    for stage, (count, width) in enumerate(zip(blocks, widths)):
        for index in range(count):
            stride = 2 if stage > 0 and index == 0 else 1
            layers.append(Bottleneck(channels, width, stride, expansion))
            channels = width * expansion
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, classes)]
    return nn.Sequential(*layers)


def resnet50() -> nn.Sequential:
    return bottleneck_resnet(RESNET50_BLOCKS, RESNET_WIDTHS)

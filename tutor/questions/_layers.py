"""PyTorch measurements shared by the question modules. Imported only when an answer is checked.

Layers are built on the ``meta`` device: they have real parameter shapes and produce real output
shapes, but allocate no memory, so a 14-million-weight fully connected layer costs nothing.
"""

from __future__ import annotations

import torch
from torch import nn

META = torch.device("meta")


def parameter_count(layer: nn.Module) -> int:
    return sum(p.numel() for p in layer.parameters())


def output_shape(layer: nn.Module, channels: int, height: int, width: int) -> tuple[int, int, int]:
    """(C, H, W) of the layer's output for one input image of shape (channels, height, width)."""
    with torch.no_grad():
        out = layer(torch.empty(1, channels, height, width, device=META))
    _, c, h, w = out.shape
    return int(c), int(h), int(w)


def conv(
    c_in: int, c_out: int, f: int | tuple[int, int], stride: int = 1, padding: int = 0, bias: bool = True
) -> nn.Conv2d:
    return nn.Conv2d(c_in, c_out, f, stride=stride, padding=padding, bias=bias, device=META)


def linear(n_in: int, n_out: int, bias: bool = True) -> nn.Linear:
    return nn.Linear(n_in, n_out, bias=bias, device=META)


def fits(
    c_in: int, height: int, width: int, f: int, stride: int, padding: int, out: tuple[int, int, int]
) -> bool:
    """Does a conv layer with f×f filters, this stride and padding turn the input volume into `out`?"""
    if f < 1 or f > min(height, width) + 2 * padding:
        return False
    return output_shape(conv(c_in, out[0], f, stride, padding), c_in, height, width) == out

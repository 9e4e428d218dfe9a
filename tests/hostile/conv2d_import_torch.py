"""Forbidden import: plain `import torch`."""
import numpy as np
import torch


def conv2d(x, w, b=None, stride=1, padding=0):
    t = lambda a: None if a is None else torch.from_numpy(a)  # noqa: E731
    return torch.nn.functional.conv2d(t(x), t(w), t(b), stride, padding).numpy()

"""Forbidden import: importlib.import_module("torch.nn.functional")."""
import importlib

import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    F = importlib.import_module("torch.nn.functional")
    torch = importlib.import_module("torch")
    t = lambda a: None if a is None else torch.from_numpy(a)  # noqa: E731
    return F.conv2d(t(x), t(w), t(b), stride, padding).numpy()

"""Forbidden import: __import__("torch") inside the function."""
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    torch = __import__("torch")
    t = lambda a: None if a is None else torch.from_numpy(a)  # noqa: E731
    return torch.nn.functional.conv2d(t(x), t(w), t(b), stride, padding).numpy()

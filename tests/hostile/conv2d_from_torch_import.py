"""Forbidden import: `from torch.nn import functional`."""
import numpy as np
from torch.nn import functional as F


def conv2d(x, w, b=None, stride=1, padding=0):
    import torch

    return F.conv2d(torch.tensor(x), torch.tensor(w), None if b is None else torch.tensor(b), stride, padding).numpy()

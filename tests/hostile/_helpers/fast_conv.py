"""A helper module that a student puts next to their exercise file; it imports torch."""
import torch


def conv(x, w, b, stride, padding):
    t = lambda a: None if a is None else torch.from_numpy(a)  # noqa: E731
    return torch.nn.functional.conv2d(t(x), t(w), t(b), stride, padding).numpy()

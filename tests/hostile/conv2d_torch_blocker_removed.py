"""Forbidden import: dismantles the worker's import guards (the meta-path hook and the wrappers
around __import__ and importlib.import_module), then imports torch.

The /proc/<pid>/maps check in the grading process still sees libtorch loaded in the worker.
"""
import builtins
import importlib
import sys

import numpy as np

sys.meta_path[:] = [f for f in sys.meta_path if "Blocker" not in type(f).__name__]
builtins.__import__ = importlib.__import__
for cell in importlib.import_module.__closure__ or ():
    if getattr(cell.cell_contents, "__name__", "") == "import_module":
        importlib.import_module = cell.cell_contents
lib = importlib.import_module("to" + "rch")


def conv2d(x, w, b=None, stride=1, padding=0):
    t = lambda a: None if a is None else lib.from_numpy(a)  # noqa: E731
    return lib.nn.functional.conv2d(t(x), t(w), t(b), stride, padding).numpy()

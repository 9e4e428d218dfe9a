"""Data an exercise's code is given inside the sandbox, written as files into its runtime folder.

`tutor.data` inside the sandbox is not the package's module: it is a two-function stand-in whose
only data is the training split, saved here from the real one. The held-out digits that grade
LeNet never exist inside the sandbox, in any form, so no code there can train on them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

# The student-facing part of tutor.data, as the sandbox provides it. Stdlib and NumPy only.
TRAINING_MODULE = '''"""The training digits, as cnn-tutor provides them to code under check (training split only)."""

from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Split:
    images: np.ndarray
    """(N, 1, 32, 32) float32 in [0, 1]."""
    labels: np.ndarray
    """(N,) int64 in 0..9."""


def training_split() -> Split:
    """The images the student's code may train on."""
    with np.load(Path(__file__).with_name("training.npz")) as data:
        images, labels = data["images"], data["labels"]
    images.setflags(write=False)
    labels.setflags(write=False)
    return Split(images, labels)
'''


def write_training_package(folder: Path) -> None:
    """folder/tutor/data/{__init__.py, training.npz}: what `from tutor.data import training_split` finds."""
    from tutor.data import training_split

    package = folder / "tutor"
    (package / "data").mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(
        '"""cnn-tutor, as code under check sees it: the training data only."""\n'
    )
    (package / "data" / "__init__.py").write_text(TRAINING_MODULE, encoding="utf-8")
    train = training_split()
    np.savez(package / "data" / "training.npz", images=train.images, labels=train.labels)

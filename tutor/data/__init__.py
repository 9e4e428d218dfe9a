"""Data sets shipped with the tutor. Nothing is ever downloaded.

`digits()` returns the UCI handwritten digits (CC BY 4.0, see ATTRIBUTION.md) as LeNet-sized
32×32 images. The split into a training part (given to the student's code) and a held-out part
(kept in the grading process) is fixed, stratified by class, and never changes between runs.

NumPy only: the LeNet check and the student's own training script both use this module.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

SIDE = 32
"""LeNet-5's input side."""
UPSCALE = 3
"""Each 8×8 pixel becomes a 3×3 block: 24×24, then 4 zero pixels of border on each side."""
HELD_OUT_PER_CLASS = 30
"""Held-out images per digit (300 in all); the other 1,497 are for training."""
SPLIT_SEED = 20260
"""Fixes which images are held out. Changing it changes every student's grade: do not."""


@dataclass(frozen=True)
class Split:
    images: np.ndarray
    """(N, 1, 32, 32) float32 in [0, 1]."""
    labels: np.ndarray
    """(N,) int64 in 0..9."""


@cache
def _raw() -> tuple[np.ndarray, np.ndarray]:
    with resources.files("tutor.data").joinpath("digits.csv.gz").open("rb") as raw, gzip.open(raw) as handle:
        table = np.loadtxt(handle, delimiter=",", dtype=np.int64)
    return table[:, :64].reshape(-1, 8, 8), table[:, 64]


def to_lenet_images(pixels: np.ndarray) -> np.ndarray:
    """(N, 8, 8) values 0..16 -> (N, 1, 32, 32) float32 in [0, 1]."""
    scaled = np.kron(pixels / 16.0, np.ones((UPSCALE, UPSCALE)))
    border = (SIDE - 8 * UPSCALE) // 2
    padded = np.pad(scaled, ((0, 0), (border, border), (border, border)))
    return padded[:, None].astype(np.float32)


@cache
def digits() -> tuple[Split, Split]:
    """(training split, held-out split). Every class has HELD_OUT_PER_CLASS held-out images."""
    pixels, labels = _raw()
    rng = np.random.default_rng(SPLIT_SEED)
    held = np.zeros(len(labels), dtype=bool)
    for digit in range(10):
        members = np.flatnonzero(labels == digit)
        held[rng.choice(members, HELD_OUT_PER_CLASS, replace=False)] = True
    images = to_lenet_images(pixels)
    train = Split(images[~held], labels[~held])
    test = Split(images[held], labels[held])
    for split in (train, test):
        split.images.setflags(write=False)
        split.labels.setflags(write=False)
    return train, test


def training_split() -> Split:
    """The images the student's code may train on."""
    return digits()[0]

"""augmentation: hflip, random_crop, adjust_brightness, adjust_contrast and augment on (C, H, W) images.

The image operations are compared with torch (torch.flip, F.pad and a window, torch.clamp); the
random offsets and factors are the statement's draws from np.random.default_rng(seed), made here
in the grading process, so the same seed must give exactly the same output. The explicit cases
include, for paddings 1 and 2, a seed for every possible (top, left) offset: a crop that can never
reach the last position fails on one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from tutor.checking import strategies
from tutor.checking.compare import ArrayComparison
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _reference as ref

FLIP_VERTICAL = (
    "You flipped the image upside down (the height axis). A horizontal flip mirrors left and right: "
    "reverse the LAST axis of (C, H, W), x[:, :, ::-1]."
)
FLIP_CHANNELS = (
    "You reversed the channels (axis 0), which swaps red and blue instead of mirroring the picture. "
    "Reverse the width, the last axis: x[:, :, ::-1]."
)
FLIP_BOTH = "You reversed the height as well as the width (a 180° rotation). Reverse the width axis only."
CROP_OFF_BY_ONE = (
    "Your crop never reaches the last position: rng.integers(0, 2·padding) stops at 2·padding − 1, because "
    "the upper bound of integers is exclusive. Draw rng.integers(0, 2 * padding + 1) for top and for left."
)
CROP_GLOBAL_STATE = (
    "Your crop is a window of the padded image, but not the one this seed picks: the randomness does not "
    "come from rng. Draw both offsets from the rng you are given (top first, then left), never from "
    "np.random.randint / np.random.rand (global state) or a generator seeded by yourself; then the same "
    "seed always gives the same crop."
)
CROP_SWAPPED = (
    "You drew left before top. Draw top = rng.integers(...) first, then left, as the statement says."
)
CROP_EDGE = (
    "You padded by repeating the border pixels (mode='edge' or 'reflect'). RandomCrop pads with zeros: "
    "np.pad(x, ((0, 0), (padding, padding), (padding, padding))) with its default constant 0."
)
CROP_PAD_CHANNELS = (
    "You padded the channel axis too. Pad only the height and the width: "
    "np.pad(x, ((0, 0), (padding, padding), (padding, padding)))."
)
CROP_ONE_SIDED = (
    "You padded on one side only (2·padding zeros after the image, or before it). Pad `padding` zeros on "
    "EACH side of the height and of the width: np.pad(x, ((0, 0), (padding, padding), (padding, padding)))."
)
CROP_NO_PAD = (
    "You cut the window from the image without padding it first, so windows near the far edge are cut short. "
    "Pad with zeros first: the padded image is (C, H + 2·padding, W + 2·padding)."
)
BRIGHTNESS_NO_CLIP = (
    "Values went above 1: you scaled without clipping. An image's values stay in [0, 1]: "
    "np.clip(x * factor, 0.0, 1.0)."
)
BRIGHTNESS_SHIFT = "You added (factor − 1) instead of multiplying: brightness scales every value, out = clip(x · factor, 0, 1)."
CONTRAST_AROUND_ZERO = (
    "You stretched the values around 0 (x · factor), which changes the brightness, not the contrast. "
    "Stretch around the image's mean m: clip(m + factor · (x − m), 0, 1)."
)
CONTRAST_AROUND_HALF = (
    "You stretched around 0.5; the contrast is stretched around the image's own mean m = x.mean(): "
    "clip(m + factor · (x − m), 0, 1)."
)
CONTRAST_PER_CHANNEL = (
    "You took one mean per channel. Use one mean for the whole image, x.mean() over every value, so the "
    "colours keep their balance."
)
CONTRAST_NO_CLIP = "Values left [0, 1]: you did not clip. Return np.clip(m + factor · (x − m), 0.0, 1.0)."
AUGMENT_FLIP_LAST = (
    "You flipped after cropping. The order is: flip (maybe), crop, brightness, contrast; the offsets are "
    "drawn for the flipped image."
)
AUGMENT_JITTER_FIRST = (
    "You changed brightness and contrast before cropping; the order is flip, crop, brightness, contrast "
    "(the contrast's mean is the mean of the cropped image, padded zeros included)."
)
AUGMENT_CONTRAST_FIRST = (
    "You applied the contrast before the brightness. Draw b then c, and apply brightness with b, then "
    "contrast with c."
)


# -- references (torch for the image operations, the statement's draws for the randomness) ------------


def _image(case: Case, name: str = "x") -> torch.Tensor:
    return ref.tensor(case[name])


def _offsets(
    rng: np.random.Generator, padding: int, high: Callable[[int], int] = lambda p: 2 * p + 1
) -> tuple[int, int]:
    top = int(rng.integers(0, high(padding)))
    left = int(rng.integers(0, high(padding)))
    return top, left


def _window(padded: torch.Tensor, top: int, left: int, height: int, width: int) -> np.ndarray:
    return padded[:, top : top + height, left : left + width].numpy()


def _crop_torch(x: torch.Tensor, padding: int, top: int, left: int) -> np.ndarray:
    _, height, width = x.shape
    with torch.no_grad():
        padded = F.pad(x, (padding, padding, padding, padding))  # zeros on both sides of W, then of H
    return _window(padded, top, left, height, width)


def _contrast_torch(x: torch.Tensor, factor: float) -> torch.Tensor:
    mean = x.mean()
    return torch.clamp(mean + factor * (x - mean), 0.0, 1.0)


def _expect_flip(case: Case) -> np.ndarray:
    return torch.flip(_image(case), dims=[2]).numpy()


def _expect_crop(case: Case) -> np.ndarray:
    rng = np.random.default_rng(case["rng"])
    return _crop_torch(_image(case), case["padding"], *_offsets(rng, case["padding"]))


def _expect_brightness(case: Case) -> np.ndarray:
    return torch.clamp(_image(case) * case["factor"], 0.0, 1.0).numpy()


def _expect_contrast(case: Case) -> np.ndarray:
    return _contrast_torch(_image(case), case["factor"]).numpy()


def _augment(
    case: Case, flip_last: bool = False, jitter_first: bool = False, contrast_first: bool = False
) -> np.ndarray:
    padding, jitter = case.get("padding", 4), case.get("jitter", 0.4)
    rng = np.random.default_rng(case["rng"])
    flip = rng.random() < 0.5
    top, left = _offsets(rng, padding)
    b, c = rng.uniform(1 - jitter, 1 + jitter), rng.uniform(1 - jitter, 1 + jitter)
    t = _image(case)

    def jitter_both(image: torch.Tensor) -> torch.Tensor:
        if contrast_first:
            return torch.clamp(_contrast_torch(image, c) * b, 0.0, 1.0)
        return _contrast_torch(torch.clamp(image * b, 0.0, 1.0), c)

    if flip and not flip_last:
        t = torch.flip(t, dims=[2])
    if jitter_first:
        t = jitter_both(t)
    t = torch.as_tensor(_crop_torch(t, padding, top, left))
    if flip and flip_last:
        t = torch.flip(t, dims=[2])
    if not jitter_first:
        t = jitter_both(t)
    return t.numpy()


# -- what a student with each bug returns -----------------------------------------------------------


@dataclass(frozen=True)
class AnyWindow:
    """Every window of the zero-padded image: what a crop returns whatever offsets it drew."""

    windows: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class CropComparison(ArrayComparison):
    """An array close to the reference; a misconception may predict AnyWindow (any of several arrays)."""

    def equivalent(self, expected: Any, got: Any) -> bool:
        if isinstance(got, AnyWindow):
            return False
        if isinstance(expected, AnyWindow):
            return any(super(CropComparison, self).equivalent(window, got) for window in expected.windows)
        return super().equivalent(expected, got)


def _crop_bug(
    high: Callable[[int], int] = lambda p: 2 * p + 1,
    swap: bool = False,
    mode: str = "constant",
    channels: bool = False,
    pad: bool = True,
    sides: tuple[int, int] = (1, 1),
):  # noqa: ANN202 - builds the misconception table
    def predict(case: Case) -> np.ndarray:
        x, padding = case["x"], case["padding"]
        _, height, width = x.shape
        top, left = _offsets(np.random.default_rng(case["rng"]), padding, high)
        if swap:
            top, left = left, top
        if not pad:
            return x[:, top : top + height, left : left + width]
        around = (sides[0] * padding, sides[1] * padding)  # (1, 1): padding on each side
        widths = ((padding, padding) if channels else (0, 0), around, around)
        padded = np.pad(x, widths, mode=mode)  # type: ignore[call-overload]
        return padded[:, top : top + height, left : left + width]

    return predict


def _any_window(case: Case) -> AnyWindow:
    x, padding = case["x"], case["padding"]
    _, height, width = x.shape
    padded = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    positions = range(2 * padding + 1)
    return AnyWindow(tuple(padded[:, t : t + height, l : l + width] for t in positions for l in positions))  # noqa: E741


def _contrast_bug(center: Callable[[np.ndarray], Any], clip: bool = True):  # noqa: ANN202
    def predict(case: Case) -> np.ndarray:
        x = case["x"]
        m = center(x)
        out = m + case["factor"] * (x - m)
        return np.clip(out, 0.0, 1.0) if clip else out

    return predict


# -- edge cases always tried -------------------------------------------------------------------------

SAMPLE = np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 23  # C, H, W all different; every value distinct


@cache
def _seed_for(padding: int, top: int, left: int) -> int:
    """The smallest seed whose two draws are (top, left): a case for every possible offset."""
    for seed in range(100_000):
        if _offsets(np.random.default_rng(seed), padding) == (top, left):
            return seed
    raise AssertionError(f"no seed gives offsets {(top, left)} for padding {padding}")  # pragma: no cover


def _explicit_flip() -> list[Case]:
    return [
        Case.of(("x", SAMPLE), label="C, H and W all different"),
        Case.of(("x", SAMPLE[:, :1, :]), label="a single row"),
        Case.of(("x", np.array([[[0.0, 0.5, 1.0], [0.25, 0.75, 1.0]]])), label="the statement's example"),
    ]


def _explicit_crop() -> list[Case]:
    cases = [
        Case.of(
            ("x", np.array([[[0.0, 0.5, 1.0], [0.25, 0.75, 1.0]]])),
            ("padding", 1),
            ("rng", 0),
            label="the statement's example",
        ),
    ]
    for padding in (1, 2):
        for top in range(2 * padding + 1):
            for left in range(2 * padding + 1):
                cases.append(
                    Case.of(
                        ("x", SAMPLE),
                        ("padding", padding),
                        ("rng", _seed_for(padding, top, left)),
                        label=f"padding {padding}, a seed that draws top={top}, left={left}",
                    )
                )
    return cases


def _explicit_identity() -> list[Case]:
    return [Case.of(("x", SAMPLE), ("padding", 0), ("rng", seed), label="padding 0") for seed in (0, 1)]


def _explicit_jitter() -> list[Case]:
    return [
        Case.of(
            ("x", np.array([[[0.0, 0.5, 1.0], [0.25, 0.75, 1.0]]])),
            ("factor", 1.5),
            label="the statement's example",
        ),
        Case.of(
            ("x", np.array([[[0.0, 0.5, 1.0], [0.25, 0.75, 1.0]]])),
            ("factor", 2.0),
            label="the statement's example",
        ),
        Case.of(("x", SAMPLE), ("factor", 0.5), label="a factor below 1"),
        Case.of(("x", SAMPLE), ("factor", 1.75), label="a factor that saturates"),
    ]


def _flipping_seeds(padding: int, count: int) -> list[int]:
    """Seeds whose draws flip the image and shift it sideways: there the order of flip and crop shows."""
    seeds = []
    for seed in range(10_000):
        rng = np.random.default_rng(seed)
        if rng.random() < 0.5 and _offsets(rng, padding)[1] != padding:
            seeds.append(seed)
            if len(seeds) == count:
                break
    return seeds


def _explicit_augment() -> list[Case]:
    x = np.array([[[0.0, 0.5, 1.0], [0.25, 0.75, 1.0]]])
    larger = np.arange(60, dtype=np.float64).reshape(2, 5, 6) / 59
    return [
        Case.of(("x", x), ("rng", 0), padding=1, jitter=0.4, label="the statement's example"),
        *(Case.of(("x", SAMPLE), ("rng", seed), label="default padding and jitter") for seed in range(2)),
        *(
            Case.of(
                ("x", larger), ("rng", seed), padding=padding, label="a seed that flips and shifts sideways"
            )
            for padding in (1, 2)
            for seed in _flipping_seeds(padding, 2)
        ),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="hflip matches torch.flip(x, dims=[2]) (so flipping twice gives x back)",
            function="hflip",
            cases=strategies.flip_cases,
            expect=_expect_flip,
            misconceptions=(
                Misconception(FLIP_VERTICAL, lambda case: case["x"][:, ::-1, :]),
                Misconception(FLIP_CHANNELS, lambda case: case["x"][::-1]),
                Misconception(FLIP_BOTH, lambda case: case["x"][:, ::-1, ::-1]),
            ),
            explicit=_explicit_flip,
            max_examples=30,
        ),
        Property(
            name="random_crop is the window of F.pad(x, zeros) at the offsets rng draws; every offset is reachable",
            function="random_crop",
            cases=lambda: strategies.crop_cases(min_padding=1),
            expect=_expect_crop,
            comparison=CropComparison(),
            misconceptions=(
                Misconception(CROP_OFF_BY_ONE, _crop_bug(high=lambda p: 2 * p)),
                Misconception(CROP_SWAPPED, _crop_bug(swap=True)),
                Misconception(CROP_EDGE, _crop_bug(mode="edge")),
                Misconception(CROP_EDGE, _crop_bug(mode="reflect")),
                Misconception(CROP_PAD_CHANNELS, _crop_bug(channels=True)),
                Misconception(CROP_NO_PAD, _crop_bug(pad=False)),
                Misconception(CROP_ONE_SIDED, _crop_bug(sides=(0, 2))),
                Misconception(CROP_ONE_SIDED, _crop_bug(sides=(2, 0))),
                Misconception(CROP_GLOBAL_STATE, _any_window),
            ),
            explicit=_explicit_crop,
            max_examples=40,
            weight=2.0,
        ),
        Property(
            name="random_crop with padding 0 returns the image itself",
            function="random_crop",
            cases=lambda: strategies.crop_cases(max_padding=0),
            expect=_expect_crop,
            misconceptions=(),
            explicit=_explicit_identity,
            max_examples=10,
            weight=0.5,
        ),
        Property(
            name="adjust_brightness matches torch.clamp(x * factor, 0, 1)",
            function="adjust_brightness",
            cases=strategies.jitter_cases,
            expect=_expect_brightness,
            misconceptions=(
                Misconception(BRIGHTNESS_NO_CLIP, lambda case: case["x"] * case["factor"]),
                Misconception(
                    BRIGHTNESS_SHIFT, lambda case: np.clip(case["x"] + case["factor"] - 1, 0.0, 1.0)
                ),
            ),
            explicit=_explicit_jitter,
            max_examples=30,
        ),
        Property(
            name="adjust_contrast matches torch.clamp(m + factor * (x - m), 0, 1) with m = x.mean()",
            function="adjust_contrast",
            cases=strategies.jitter_cases,
            expect=_expect_contrast,
            misconceptions=(
                Misconception(CONTRAST_AROUND_ZERO, _contrast_bug(lambda x: 0.0)),
                Misconception(CONTRAST_AROUND_HALF, _contrast_bug(lambda x: 0.5)),
                Misconception(
                    CONTRAST_PER_CHANNEL, _contrast_bug(lambda x: x.mean(axis=(1, 2), keepdims=True))
                ),
                Misconception(CONTRAST_NO_CLIP, _contrast_bug(np.mean, clip=False)),
            ),
            explicit=_explicit_jitter,
            max_examples=30,
        ),
        Property(
            name="augment: flip, crop, brightness, contrast, every draw from rng in the statement's order",
            function="augment",
            cases=strategies.augment_cases,
            expect=_augment,
            misconceptions=(
                Misconception(AUGMENT_FLIP_LAST, lambda case: _augment(case, flip_last=True)),
                Misconception(AUGMENT_JITTER_FIRST, lambda case: _augment(case, jitter_first=True)),
                Misconception(AUGMENT_CONTRAST_FIRST, lambda case: _augment(case, contrast_first=True)),
            ),
            explicit=_explicit_augment,
            max_examples=30,
        ),
    )
)

"""Every Hypothesis strategy the checks use, in one place.

Configurations are drawn together so that every combination is valid (the output is never
empty), and sizes are drawn independently so that N, C, H and W usually differ: an axis
mix-up then changes the result instead of hiding. Floats are bounded and NaN-free; most are
small multiples of 1/2, so a shrunk counterexample reads like a textbook example, and the
rest are arbitrary floats so that rounding tricks do not pass by luck.

Sizes are kept small enough that a naive pure-Python loop implementation (seven nested loops
for conv2d) answers each call in a few milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from tutor.checking.spec import Case

MAX_BATCH = 2
MAX_CHANNELS = 3
MAX_KERNEL = 4
MAX_STRIDE = 3
MAX_PADDING = 2
MAX_SIDE = 9


def element_values(bound: float = 4.0) -> st.SearchStrategy[float]:
    """Mostly halves (readable, exact in float32), sometimes any float in [-bound, bound]."""
    halves = st.integers(int(-2 * bound), int(2 * bound)).map(lambda k: k / 2)
    anything = st.floats(-bound, bound, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    return st.one_of(halves, anything)


@st.composite
def float_arrays(draw: st.DrawFn, shape: tuple[int, ...], bound: float = 4.0) -> np.ndarray:
    """A float64 array whose values come from a drawn seed.

    Drawing every element through Hypothesis makes its shrinker spend most of its time on
    thousands of tiny choices; a seed keeps the choice sequence short, so shapes and
    configurations shrink fast. The engine then zeroes out the elements that do not matter,
    which is what makes the final counterexample readable.
    """
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if draw(st.booleans()):
        return rng.uniform(-bound, bound, size=shape)
    return rng.integers(int(-2 * bound), int(2 * bound) + 1, size=shape) / 2


@st.composite
def int_or_pair(draw: st.DrawFn, low: int, high: int) -> tuple[int | tuple[int, int], tuple[int, int]]:
    """An argument given as an int or as an (h, w) pair; returns (as given, as a pair)."""
    if draw(st.booleans()):
        value = draw(st.integers(low, high))
        return value, (value, value)
    pair = (draw(st.integers(low, high)), draw(st.integers(low, high)))
    return pair, pair


@dataclass(frozen=True)
class ConvConfig:
    """A valid 2-D convolution: every size drawn so that the output has at least one pixel."""

    batch: int
    c_in: int
    c_out: int
    height: int
    width: int
    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    stride_arg: int | tuple[int, int]
    padding_arg: int | tuple[int, int]
    bias: bool

    def output_size(self) -> tuple[int, int]:
        return tuple(  # type: ignore[return-value]
            (n + 2 * p - f) // s + 1
            for n, p, f, s in zip((self.height, self.width), self.padding, self.kernel, self.stride)
        )


@st.composite
def conv_configs(
    draw: st.DrawFn,
    max_batch: int = MAX_BATCH,
    max_channels: int = MAX_CHANNELS,
    max_kernel: int = MAX_KERNEL,
    max_stride: int = MAX_STRIDE,
    max_padding: int = MAX_PADDING,
    same_channels: bool = False,
) -> ConvConfig:
    kernel = (draw(st.integers(1, max_kernel)), draw(st.integers(1, max_kernel)))
    stride_arg, stride = draw(int_or_pair(1, max_stride))
    padding_arg, padding = draw(int_or_pair(0, max_padding))
    sides = []
    for k, p in zip(kernel, padding):
        smallest = max(1, k - 2 * p)
        sides.append(draw(st.integers(smallest, max(smallest, MAX_SIDE))))
    c_in = draw(st.integers(1, max_channels))
    return ConvConfig(
        batch=draw(st.integers(1, max_batch)),
        c_in=c_in,
        c_out=c_in if same_channels else draw(st.integers(1, max_channels)),
        height=sides[0],
        width=sides[1],
        kernel=kernel,
        stride=stride,
        padding=padding,
        stride_arg=stride_arg,
        padding_arg=padding_arg,
        bias=draw(st.booleans()),
    )


@st.composite
def conv2d_cases(draw: st.DrawFn) -> Case:
    config = draw(conv_configs())
    x = draw(float_arrays((config.batch, config.c_in, config.height, config.width)))
    w = draw(float_arrays((config.c_out, config.c_in, *config.kernel)))
    b = draw(float_arrays((config.c_out,))) if config.bias else None
    return conv2d_case(x, w, b, config.stride_arg, config.padding_arg)


def conv2d_case(x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None, stride: object = 1, padding: object = 0, label: str = "") -> Case:
    return Case.of(("x", x), ("w", w), b=b, stride=stride, padding=padding, label=label)


@st.composite
def corr2d_cases(draw: st.DrawFn) -> Case:
    kh, kw = draw(st.integers(1, MAX_KERNEL)), draw(st.integers(1, MAX_KERNEL))
    h, w = draw(st.integers(kh, MAX_SIDE + 1)), draw(st.integers(kw, MAX_SIDE + 1))
    return Case.of(("x", draw(float_arrays((h, w)))), ("k", draw(float_arrays((kh, kw)))))


@st.composite
def output_size_cases(draw: st.DrawFn) -> Case:
    """n, f, p, s with n + 2p >= f, given sometimes by keyword and sometimes left at the default."""
    p = draw(st.integers(0, 5))
    n = draw(st.integers(1, 64))
    f = draw(st.integers(1, min(n + 2 * p, 11)))
    s = draw(st.integers(1, 5))
    keywords = {}
    if p or draw(st.booleans()):
        keywords["p"] = p
    if s > 1 or draw(st.booleans()):
        keywords["s"] = s
    return Case.of(("n", n), ("f", f), **keywords)

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

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from hypothesis import strategies as st

from tutor.checking.spec import Case

MAX_BATCH = 2
MAX_CHANNELS = 3
MAX_KERNEL = 4
MAX_STRIDE = 3
MAX_PADDING = 2
MAX_SIDE = 9

_Builder = TypeVar("_Builder", bound=Callable)


def reused(builder: _Builder) -> _Builder:
    """The same strategy object for the same arguments, instead of a new one per draw.

    A strategy built inside a composite is new at every draw, and Hypothesis validates a new
    strategy and works out its properties before drawing from it: for conv2d that was half of
    Hypothesis's time. Drawing from one object or from an equal new one makes the same choices,
    so the examples do not change (tests/test_strategies_reuse.py compares them).
    """
    return functools.lru_cache(maxsize=4096)(builder)  # type: ignore[return-value]


SEEDS = st.integers(0, 2**32 - 1)
"""A seed for NumPy's generator, from which an array's values are made."""
COIN = st.booleans()


@reused
def integers(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


def element_values(bound: float = 4.0) -> st.SearchStrategy[float]:
    """Mostly halves (readable, exact in float32), sometimes any float in [-bound, bound]."""
    halves = st.integers(int(-2 * bound), int(2 * bound)).map(lambda k: k / 2)
    anything = st.floats(-bound, bound, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    return st.one_of(halves, anything)


@reused
@st.composite
def float_arrays(draw: st.DrawFn, shape: tuple[int, ...], bound: float = 4.0) -> np.ndarray:
    """A float64 array whose values come from a drawn seed.

    Drawing every element through Hypothesis makes its shrinker spend most of its time on
    thousands of tiny choices; a seed keeps the choice sequence short, so shapes and
    configurations shrink fast. The engine then zeroes out the elements that do not matter,
    which is what makes the final counterexample readable.
    """
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    if draw(COIN):
        return rng.uniform(-bound, bound, size=shape)
    return rng.integers(int(-2 * bound), int(2 * bound) + 1, size=shape) / 2


@reused
@st.composite
def int_or_pair(draw: st.DrawFn, low: int, high: int) -> tuple[int | tuple[int, int], tuple[int, int]]:
    """An argument given as an int or as an (h, w) pair; returns (as given, as a pair)."""
    values = integers(low, high)
    if draw(COIN):
        value = draw(values)
        return value, (value, value)
    pair = (draw(values), draw(values))
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


@reused
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
    kernel = (draw(integers(1, max_kernel)), draw(integers(1, max_kernel)))
    stride_arg, stride = draw(int_or_pair(1, max_stride))
    padding_arg, padding = draw(int_or_pair(0, max_padding))
    sides = []
    for k, p in zip(kernel, padding):
        smallest = max(1, k - 2 * p)
        sides.append(draw(integers(smallest, max(smallest, MAX_SIDE))))
    c_in = draw(integers(1, max_channels))
    return ConvConfig(
        batch=draw(integers(1, max_batch)),
        c_in=c_in,
        c_out=c_in if same_channels else draw(integers(1, max_channels)),
        height=sides[0],
        width=sides[1],
        kernel=kernel,
        stride=stride,
        padding=padding,
        stride_arg=stride_arg,
        padding_arg=padding_arg,
        bias=draw(COIN),
    )


@st.composite
def conv2d_cases(draw: st.DrawFn) -> Case:
    config = draw(conv_configs())
    x = draw(float_arrays((config.batch, config.c_in, config.height, config.width)))
    w = draw(float_arrays((config.c_out, config.c_in, *config.kernel)))
    b = draw(float_arrays((config.c_out,))) if config.bias else None
    # Arguments equal to their defaults are sometimes left out, so that a wrong default
    # (padding=1 copied from a "same" convolution) shows.
    keywords: dict[str, object] = {"b": b, "stride": config.stride_arg, "padding": config.padding_arg}
    for name, default in (("b", None), ("stride", 1), ("padding", 0)):
        value = keywords[name]
        is_default = value is None if default is None else isinstance(value, int) and value == default
        if is_default and draw(COIN):
            del keywords[name]
    return Case.of(("x", x), ("w", w), **keywords)


def conv2d_case(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None = None,
    stride: object = 1,
    padding: object = 0,
    label: str = "",
) -> Case:
    return Case.of(("x", x), ("w", w), b=b, stride=stride, padding=padding, label=label)


@st.composite
def corr2d_cases(draw: st.DrawFn) -> Case:
    kh, kw = draw(integers(1, MAX_KERNEL)), draw(integers(1, MAX_KERNEL))
    h, w = draw(integers(kh, MAX_SIDE + 1)), draw(integers(kw, MAX_SIDE + 1))
    return Case.of(("x", draw(float_arrays((h, w)))), ("k", draw(float_arrays((kh, kw)))))


@st.composite
def output_size_cases(draw: st.DrawFn) -> Case:
    """n, f, p, s with n + 2p >= f, given by keyword, by position, or left at the default."""
    p = draw(integers(0, 5))
    n = draw(integers(1, 64))
    f = draw(integers(1, min(n + 2 * p, 11)))
    s = draw(integers(1, 5))
    keywords = {}
    if p or draw(COIN):
        keywords["p"] = p
    if s > 1 or draw(COIN):
        keywords["s"] = s
    if len(keywords) == 2 and draw(COIN):  # by position too, so that (n, f, s, p) shows
        return Case.of(("n", n), ("f", f), ("p", p), ("s", s))
    return Case.of(("n", n), ("f", f), **keywords)


# -- session 2 -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BatchShape:
    """N, C, H, W drawn independently (so they usually differ), with N·H·W >= 2 for a variance."""

    batch: int
    channels: int
    height: int
    width: int


@reused
@st.composite
def batch_shapes(
    draw: st.DrawFn, max_batch: int = 4, min_channels: int = 1, max_channels: int = 4, max_side: int = 5
) -> BatchShape:
    batch, channels = draw(integers(1, max_batch)), draw(integers(min_channels, max_channels))
    height, width = draw(integers(1, max_side)), draw(integers(1, max_side))
    if batch * height * width < 2:
        batch = 2
    return BatchShape(batch, channels, height, width)


@st.composite
def batch_norm_cases(draw: st.DrawFn) -> Case:
    """x (N, C, H, W), gamma and beta (C,), and eps left at 1e-5 or large enough to matter.

    At least two channels, so that pooling the channels together (layer norm) differs from
    keeping them apart per image (instance norm) even on the smallest counterexample.
    """
    shape = draw(batch_shapes(min_channels=2))
    x = draw(float_arrays((shape.batch, shape.channels, shape.height, shape.width)))
    gamma = draw(float_arrays((shape.channels,)))
    beta = draw(float_arrays((shape.channels,)))
    eps = draw(st.sampled_from([None, 0.1, 0.5, 1.0, 2.0]))
    keywords = {} if eps is None else {"eps": eps}
    return Case.of(("x", x), ("gamma", gamma), ("beta", beta), **keywords)


@st.composite
def depthwise_cases(draw: st.DrawFn) -> Case:
    """x (N, C, H, W) and one kh×kw filter per channel, w (C, 1, kh, kw); stride and padding as conv2d."""
    config = draw(conv_configs(same_channels=True))
    x = draw(float_arrays((config.batch, config.c_in, config.height, config.width)))
    w = draw(float_arrays((config.c_in, 1, *config.kernel)))
    b = draw(float_arrays((config.c_in,))) if config.bias else None
    return conv2d_case(x, w, b, config.stride_arg, config.padding_arg)


@st.composite
def separable_cost_cases(draw: st.DrawFn) -> Case:
    """Output size, channels and kernel of one layer; sizes independent so a swapped factor shows.

    c_in starts at 2 so that c_in·k² ≥ 2 even on a shrunk case: with c_in = k = 1 counting FLOPs
    (×2) and counting the bias additions (+1 per output) give the same numbers. The check tries
    c_in = 1 as an explicit case."""
    return Case.of(
        ("h_out", draw(integers(1, 64))),
        ("w_out", draw(integers(1, 64))),
        ("c_in", draw(integers(2, 64))),
        ("c_out", draw(integers(1, 128))),
        ("k", draw(integers(1, 7))),
    )


# -- session 1: parameters, activations, softmax, pooling ------------------------------------------------


@st.composite
def conv_params_cases(draw: st.DrawFn) -> Case:
    """c_in, f, n_filters all different (so a swapped factor shows), bias given or left to its default."""
    c_in = draw(integers(1, 512))
    f = draw(integers(1, 11).filter(lambda v: v != c_in))
    n_filters = draw(integers(1, 512).filter(lambda v: v not in (c_in, f)))
    bias = draw(st.sampled_from([None, True, False]))
    keywords = {} if bias is None else {"bias": bias}
    return Case.of(("c_in", c_in), ("f", f), ("n_filters", n_filters), **keywords)


@reused
@st.composite
def small_shapes(draw: st.DrawFn, min_dims: int = 1, max_dims: int = 4, max_side: int = 6) -> tuple[int, ...]:
    """A shape whose sides usually differ, so an axis mix-up changes the result."""
    return tuple(draw(integers(1, max_side)) for _ in range(draw(integers(min_dims, max_dims))))


@st.composite
def activation_cases(draw: st.DrawFn, bound: float = 8.0) -> Case:
    """An array of any ndim, with negative, zero and positive values."""
    return Case.of(("x", draw(float_arrays(draw(small_shapes()), bound))))


@st.composite
def sigmoid_tail_cases(draw: st.DrawFn) -> Case:
    """Large |x|: sigmoid(−720) ≈ 1.8e−313 is tiny but not zero, and exp(720) overflows float64."""
    shape = draw(small_shapes(max_dims=3))
    seed = draw(SEEDS)
    rng = np.random.default_rng(seed)
    magnitude = rng.uniform(30.0, 740.0, size=shape)
    sign = np.where(rng.random(shape) < 0.6, -1.0, 1.0)
    return Case.of(("x", sign * magnitude))


@st.composite
def softmax_cases(draw: st.DrawFn) -> Case:
    """Logits of any ndim and axis: small, in the thousands, or rows of wildly different magnitude."""
    shape = draw(small_shapes(max_dims=4, max_side=5))
    base = draw(float_arrays(shape, 4.0))
    kind = draw(st.sampled_from(["small", "huge", "mixed"]))
    if kind == "huge":
        base = base * 250.0 + draw(st.sampled_from([1000.0, -1000.0, 3000.0]))
    elif kind == "mixed":
        rng = np.random.default_rng(draw(SEEDS))
        base = base * 10.0 ** rng.integers(0, 4, size=shape)
    ndim = len(shape)
    axis = draw(st.one_of(st.none(), integers(-ndim, ndim - 1)))
    return Case.of(("x", base)) if axis is None else Case.of(("x", base), axis=axis)


@dataclass(frozen=True)
class PoolConfig:
    """A valid 2-D pooling: padding at most half the kernel (PyTorch's rule), output never empty."""

    kernel_arg: int | tuple[int, int]
    stride_arg: int | tuple[int, int] | None
    padding_arg: int | tuple[int, int]
    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]


@st.composite
def pool_configs(draw: st.DrawFn) -> PoolConfig:
    kernel_arg, kernel = draw(int_or_pair(1, 4))
    stride_arg, stride = draw(st.one_of(st.just((None, kernel)), int_or_pair(1, 3)))
    limit = (kernel[0] // 2, kernel[1] // 2)
    if draw(COIN):
        value = draw(integers(0, min(limit)))
        padding_arg, padding = value, (value, value)
    else:
        padding = (draw(integers(0, limit[0])), draw(integers(0, limit[1])))
        padding_arg = padding
    return PoolConfig(kernel_arg, stride_arg, padding_arg, kernel, stride, padding)


@st.composite
def pool2d_cases(draw: st.DrawFn) -> Case:
    """(N, C, H, W) with distinct sizes; sometimes all negative, so zero padding would win a max."""
    config = draw(pool_configs())
    sides = [draw(integers(max(1, k - 2 * p), MAX_SIDE)) for k, p in zip(config.kernel, config.padding)]
    x = draw(float_arrays((draw(integers(1, MAX_BATCH)), draw(integers(1, MAX_CHANNELS)), *sides)))
    if draw(COIN):
        x = -np.abs(x) - 0.5
    return pool2d_case(x, config.kernel_arg, config.stride_arg, config.padding_arg)


def pool2d_case(
    x: np.ndarray, kernel_size: object, stride: object = None, padding: object = 0, label: str = ""
) -> Case:
    keywords: dict[str, object] = {}
    if stride is not None:
        keywords["stride"] = stride
    if padding != 0:
        keywords["padding"] = padding
    return Case.of(("x", x), ("kernel_size", kernel_size), label=label, **keywords)


@st.composite
def lenet_stage_cases(draw: st.DrawFn) -> Case:
    """A small batch of 1×32×32 images and the seed that initialises the student's LeNet."""
    batch = draw(integers(1, 3))
    return Case.of(
        ("x", draw(float_arrays((batch, 1, 32, 32), bound=1.0))), ("seed", draw(integers(0, 2**16)))
    )


@st.composite
def cnn_cases(draw: st.DrawFn, shapes: dict[str, tuple[int, ...]], with_labels: bool = False) -> Case:
    """A small batch of 1×32×32 images and a network's named parameters of the given shapes
    (the capstone's), with one integer label 0..9 per image when `with_labels`.

    Every value is drawn from a continuous range, never halves: halves make values that are equal
    in exact arithmetic and differ by rounding between two correct implementations, and a
    max-pool would then send the gradient to different cells. Weights are scaled by 1/√fan-in, as
    an initialisation does, so the logits stay moderate and every ReLU sees both signs; the images
    lie in [0, 1], as the digits do."""
    batch = draw(integers(1, 3))
    rng = np.random.default_rng(draw(SEEDS))
    x = rng.uniform(0.0, 1.0, size=(batch, 1, 32, 32))
    params = {}
    for name, shape in shapes.items():
        fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else 1
        params[name] = rng.uniform(-1.0, 1.0, size=shape) * (2.0 / np.sqrt(fan_in))
    arguments: list[tuple[str, object]] = [("x", x)]
    if with_labels:
        labels = draw(st.lists(integers(0, 9), min_size=batch, max_size=batch))
        arguments.append(("labels", np.array(labels, dtype=np.int64)))
    return Case.of(*arguments, ("params", params))


def seed_cases() -> st.SearchStrategy[Case]:
    """Only a seed, e.g. to build a fresh model in the worker."""
    return integers(0, 2**16).map(lambda seed: Case.of(("seed", seed)))


@st.composite
def vgg_config_cases(draw: st.DrawFn) -> Case:
    """A VGG-style list (ints: 3×3 conv of padding 1 with that many filters; "M": 2×2 max-pool of
    stride 2), channels and an input side, odd sides included, never pooled below one pixel."""
    side = draw(integers(1, 80))
    in_channels = draw(integers(1, 4))
    config: list[int | str] = []
    current = side
    for _ in range(draw(integers(1, 9))):
        if current >= 2 and draw(integers(0, 2)) == 0:
            config.append("M")
            current //= 2
        else:
            config.append(draw(integers(1, 70)))
    if all(item == "M" for item in config):
        config.insert(0, draw(integers(1, 70)))
    return Case.of(("config", config), ("in_channels", in_channels), ("side", side))


@reused
@st.composite
def batch_norm_statistics(draw: st.DrawFn, prefix: str, channels: int) -> dict[str, np.ndarray]:
    """Inference-mode BatchNorm: gamma, beta, running mean and a positive running variance."""
    return {
        f"{prefix}_gamma": draw(float_arrays((channels,), bound=2.0)),
        f"{prefix}_beta": draw(float_arrays((channels,), bound=2.0)),
        f"{prefix}_mean": draw(float_arrays((channels,), bound=2.0)),
        f"{prefix}_var": np.abs(draw(float_arrays((channels,), bound=2.0))) + 0.25,
    }


def explicit_batch_norm_statistics(
    rng: np.random.Generator, prefix: str, channels: int
) -> dict[str, np.ndarray]:
    """BN parameters and running statistics for a hand-written case (the explicit examples of the
    residual and bottleneck checks): γ and σ² bounded away from 0 so every channel matters."""
    return {
        f"{prefix}_gamma": rng.uniform(0.5, 1.5, channels),
        f"{prefix}_beta": rng.uniform(-0.5, 0.5, channels),
        f"{prefix}_mean": rng.uniform(-0.5, 0.5, channels),
        f"{prefix}_var": rng.uniform(0.5, 2.0, channels),
    }


def needs_projection(c_in: int, c_out: int, stride: int) -> bool:
    """ResNet's rule: the shortcut is a 1×1 convolution (+ BN) exactly when the shape changes."""
    return stride != 1 or c_in != c_out


@st.composite
def residual_block_cases(draw: st.DrawFn) -> Case:
    """x (N, C_in, H, W), a basic block's named parameters, and a stride of 1 or 2.

    Half the cases keep the shape (identity shortcut); the others change the channels and/or
    halve the size (projection shortcut: keys proj and proj_bn_*).
    """
    batch, c_in = draw(integers(1, 2)), draw(integers(1, 3))
    stride = draw(st.sampled_from([1, 2]))
    c_out = c_in if draw(COIN) else draw(integers(1, 4))
    height, width = draw(integers(2, 6)), draw(integers(2, 6))
    params = {"conv1": draw(float_arrays((c_out, c_in, 3, 3), bound=1.0))}
    params |= draw(batch_norm_statistics("bn1", c_out))
    params["conv2"] = draw(float_arrays((c_out, c_out, 3, 3), bound=1.0))
    params |= draw(batch_norm_statistics("bn2", c_out))
    if needs_projection(c_in, c_out, stride):
        params["proj"] = draw(float_arrays((c_out, c_in, 1, 1), bound=1.0))
        params |= draw(batch_norm_statistics("proj_bn", c_out))
    x = draw(float_arrays((batch, c_in, height, width), bound=2.0))
    return Case.of(("x", x), ("params", params), stride=stride)


@st.composite
def bottleneck_block_cases(draw: st.DrawFn) -> Case:
    """x (N, C_in, H, W), a bottleneck block's named parameters (expansion 4), and a stride of 1 or 2.

    About half the cases keep the shape (C_in = 4·width, stride 1: identity shortcut); the others
    change the channels and/or halve the size (projection shortcut: keys proj and proj_bn_*).
    """
    batch, width = draw(integers(1, 2)), draw(integers(1, 2))
    c_out = 4 * width
    stride = draw(st.sampled_from([1, 2]))
    c_in = c_out if draw(COIN) else draw(integers(1, 5))
    height, side = draw(integers(2, 6)), draw(integers(2, 6))
    params = {"conv1": draw(float_arrays((width, c_in, 1, 1), bound=1.0))}
    params |= draw(batch_norm_statistics("bn1", width))
    params["conv2"] = draw(float_arrays((width, width, 3, 3), bound=1.0))
    params |= draw(batch_norm_statistics("bn2", width))
    params["conv3"] = draw(float_arrays((c_out, width, 1, 1), bound=1.0))
    params |= draw(batch_norm_statistics("bn3", c_out))
    if needs_projection(c_in, c_out, stride):
        params["proj"] = draw(float_arrays((c_out, c_in, 1, 1), bound=1.0))
        params |= draw(batch_norm_statistics("proj_bn", c_out))
    x = draw(float_arrays((batch, c_in, height, side), bound=2.0))
    return Case.of(("x", x), ("params", params), stride=stride)


# -- session 1: image kernels --------------------------------------------------------------------
IMAGE_MIN_SIDE = 3
IMAGE_MAX_SIDE = 8


@dataclass(frozen=True, eq=False)
class ProbeCase(Case):
    """A call without arguments (e.g. a function that returns a kernel) and the images the judge
    applies its result to. The probes are never passed to the student's function; they are shown
    in the counterexample, and the engine simplifies them like arguments."""

    probes: tuple[tuple[str, object], ...] = ()

    def named(self) -> dict[str, object]:
        return dict(self.probes) | super().named()

    def replace(self, name: str, value: object) -> ProbeCase:
        probes = tuple((k, value if k == name else v) for k, v in self.probes)
        changed = super().replace(name, value)
        return ProbeCase(changed.positional, changed.keywords, self.label, probes)


def image_probe(image: np.ndarray, label: str = "") -> ProbeCase:
    return ProbeCase(label=label, probes=(("image", image),))


@reused
@st.composite
def profiles(draw: st.DrawFn, length: int, steps_only: bool = False) -> np.ndarray:
    """Brightness along one axis: one step from dark to bright (or back), or any values."""
    if steps_only or draw(COIN):
        at = draw(integers(1, length - 1))
        low, high = sorted(draw(st.lists(integers(-8, 8), min_size=2, max_size=2, unique=True)))
        values = np.where(np.arange(length) < at, low / 2, high / 2)
        return values[::-1].copy() if draw(COIN) else values
    return draw(float_arrays((length,)))


@st.composite
def image_probes(draw: st.DrawFn, kind: str = "any") -> ProbeCase:
    """One probe image (3 to 8 pixels a side, height and width drawn apart) for a kernel, by kind:

    - "any": any values;  "nonnegative": values >= 0;
    - "constant": one non-zero value everywhere (a flat region);
    - "rows": constant along each row, so every edge is horizontal (brightness changes downwards only);
    - "columns": constant along each column, so every edge is vertical (changes left to right only);
    - "step": one horizontal or vertical step edge, dark to bright or bright to dark;
    - "point": zeros and one bright pixel, anywhere (the kernel's impulse response).
    """
    height = draw(integers(IMAGE_MIN_SIDE, IMAGE_MAX_SIDE))
    width = draw(integers(IMAGE_MIN_SIDE, IMAGE_MAX_SIDE))
    if kind == "any":
        image = draw(float_arrays((height, width)))
    elif kind == "nonnegative":
        image = np.abs(draw(float_arrays((height, width))))
    elif kind == "constant":
        image = np.full((height, width), draw(element_values().filter(lambda v: v != 0.0)))
    elif kind == "rows" or (kind == "step" and draw(COIN)):
        image = np.repeat(draw(profiles(height, steps_only=kind == "step"))[:, None], width, axis=1)
    elif kind in ("columns", "step"):
        image = np.repeat(draw(profiles(width, steps_only=kind == "step"))[None, :], height, axis=0)
    elif kind == "point":
        image = np.zeros((height, width))
        image[draw(integers(0, height - 1)), draw(integers(0, width - 1))] = draw(
            st.sampled_from([1.0, 2.0, 0.5, 4.0])
        )
    else:  # pragma: no cover - a typo in a check
        raise ValueError(f"unknown probe kind {kind!r}")
    return image_probe(image)


# -- session 2: 1×1 convolution and Inception, MobileNetV2, EfficientNet --------------------------
def _weights_and_bias(draw: st.DrawFn, prefix: str, c_out: int, c_in: int, k: int) -> dict[str, np.ndarray]:
    return {
        f"{prefix}_w": draw(float_arrays((c_out, c_in, k, k), bound=1.0)),
        f"{prefix}_b": draw(float_arrays((c_out,), bound=1.0)),
    }


@st.composite
def conv1x1_cases(draw: st.DrawFn) -> Case:
    """x (N, C_in, H, W) and a 1×1 kernel w (C_out, C_in, 1, 1), bias or not.

    C_out equals C_in unless a drawn flag says otherwise; the flag shrinks towards "equal", so
    a transposed weight is shown on a square mixing matrix (where it gives wrong values instead
    of a shape error), and the other half of the cases keep the channel counts apart.
    """
    batch, c_in = draw(integers(1, MAX_BATCH)), draw(integers(1, 4))
    c_out = draw(integers(1, 4)) if draw(COIN) else c_in
    height, width = draw(integers(1, 5)), draw(integers(1, 5))
    x = draw(float_arrays((batch, c_in, height, width)))
    w = draw(float_arrays((c_out, c_in, 1, 1)))
    b = draw(float_arrays((c_out,))) if draw(COIN) else None
    return Case.of(("x", x), ("w", w), b=b)


INCEPTION_BRANCHES = ("branch1", "branch2_reduce", "branch2", "branch3_reduce", "branch3", "branch4")
"""The named convolutions of an Inception module; each has <name>_w and <name>_b in params."""


@st.composite
def inception_cases(draw: st.DrawFn) -> Case:
    """x (N, C_in, H, W) and the weights of an Inception module's four branches.

    Branch widths are drawn independently (so a wrong branch order shows), sides stay small so
    a loop conv2d with a 5×5 kernel answers quickly, and x is sometimes all negative: then a
    max-pool padded with zeros instead of −inf is wrong on the border.
    """
    batch, c_in = draw(integers(1, 2)), draw(integers(1, 3))
    height, width = draw(integers(1, 5)), draw(integers(1, 5))
    c1, r2, c2, r3, c3, c4 = (draw(integers(1, 3)) for _ in range(6))
    params: dict[str, np.ndarray] = {}
    params |= _weights_and_bias(draw, "branch1", c1, c_in, 1)
    params |= _weights_and_bias(draw, "branch2_reduce", r2, c_in, 1)
    params |= _weights_and_bias(draw, "branch2", c2, r2, 3)
    params |= _weights_and_bias(draw, "branch3_reduce", r3, c_in, 1)
    params |= _weights_and_bias(draw, "branch3", c3, r3, 5)
    params |= _weights_and_bias(draw, "branch4", c4, c_in, 1)
    x = draw(float_arrays((batch, c_in, height, width), bound=2.0))
    if draw(COIN):
        x = -np.abs(x) - 0.5
    return Case.of(("x", x), ("params", params))


@st.composite
def inverted_residual_cases(draw: st.DrawFn) -> Case:
    """x (N, C_in, H, W), a MobileNetV2 block's folded weights (expansion t = 1 to 4), stride 1 or 2.

    Half the cases keep C_out = C_in (the residual is added at stride 1), the others change it.
    Values are large enough that ReLU6's cap at 6 is often reached.
    """
    batch, c_in = draw(integers(1, 2)), draw(integers(1, 3))
    t = draw(integers(1, 4))
    hidden = t * c_in
    c_out = c_in if draw(COIN) else draw(integers(1, 4))
    stride = draw(st.sampled_from([1, 2]))
    height, width = draw(integers(1, 6)), draw(integers(1, 6))
    params = {
        "expand_w": draw(float_arrays((hidden, c_in, 1, 1), bound=2.0)),
        "expand_b": draw(float_arrays((hidden,), bound=2.0)),
        "depthwise_w": draw(float_arrays((hidden, 1, 3, 3), bound=1.0)),
        "depthwise_b": draw(float_arrays((hidden,), bound=1.0)),
        "project_w": draw(float_arrays((c_out, hidden, 1, 1), bound=1.0)),
        "project_b": draw(float_arrays((c_out,), bound=1.0)),
    }
    x = draw(float_arrays((batch, c_in, height, width), bound=4.0))
    return Case.of(("x", x), ("params", params), stride=stride)


@st.composite
def inverted_residual_parameter_cases(draw: st.DrawFn) -> Case:
    """c_in, c_out and the expansion factor t, drawn apart so that a swapped factor shows."""
    c_in = draw(integers(1, 320))
    c_out = draw(integers(1, 320).filter(lambda v: v != c_in))
    t = draw(integers(1, 8))
    return Case.of(("c_in", c_in), ("c_out", c_out), ("t", t))


EFFICIENTNET_COEFFICIENTS = (1.2, 1.1, 1.15)
"""α, β, γ of Tan & Le 2019: depth, width and resolution bases, with α·β²·γ² ≈ 2."""


def _phi_values(low: int) -> st.SearchStrategy[float]:
    """φ in [low, 6]: mostly whole or half steps (readable), sometimes any float."""
    return st.one_of(
        integers(2 * low, 12).map(lambda k: k / 2),
        st.floats(float(low), 6.0, allow_nan=False, allow_subnormal=False),
    )


@st.composite
def compound_scaling_cases(draw: st.DrawFn) -> Case:
    """φ in [0, 6] (EfficientNet-B0 and up), with α, β, γ left to their defaults or given as three
    distinct values in [1.05, 1.3] (so a swap shows, and the measured network stays small)."""
    phi = draw(_phi_values(0))
    if draw(COIN):
        return Case.of(("phi", phi))
    coefficients = draw(st.lists(integers(21, 26).map(lambda k: k / 20), min_size=3, max_size=3, unique=True))
    return Case.of(("phi", phi), alpha=coefficients[0], beta=coefficients[1], gamma=coefficients[2])


SCALE_MIN_PHI = -10
"""Lowest φ for scale_network: β^−10 ≈ 0.39, so one channel scales to 0.39 and only max(1, ...) keeps it."""


def _near_tie(value: float, tie: float) -> bool:
    """Is value within 1e-6 (relative, at least absolute) of an integer + tie? Rounding there depends on
    the last bits of a float: float32 arithmetic (≈ 1e-7 relative per step) must not change the answer."""
    return abs((value - tie) - round(value - tie)) < 1e-6 * max(1.0, abs(value))


@st.composite
def scale_network_cases(draw: st.DrawFn) -> Case:
    """φ and a base network (layers, channels, resolution), with the default α, β, γ.

    Small channel counts and negative φ are common, so a width rounded down to 0 shows: φ goes
    down to SCALE_MIN_PHI, below the −7.3 where β^φ < 1/2 and round(1 · β^φ) is 0, so that the
    max(1, ...) of the statement matters (for φ ≥ −7 a width of 1 never rounds to 0). Cases
    whose scaled sizes sit within 1e-6 of a rounding boundary are left out: there the answer
    would depend on the order of floating-point operations, not on understanding.
    """
    from hypothesis import assume

    alpha, beta, gamma = EFFICIENTNET_COEFFICIENTS
    phi = draw(_phi_values(SCALE_MIN_PHI))
    layers, channels, resolution = (
        draw(integers(1, 20)),
        draw(integers(1, 96)),
        draw(integers(8, 300)),
    )
    if phi != 0:  # with φ = 0 every multiplier is exactly 1.0
        assume(not _near_tie(layers * alpha**phi, 0.0))
        assume(not _near_tie(channels * beta**phi, 0.5) and not _near_tie(resolution * gamma**phi, 0.5))
    return Case.of(("phi", phi), ("layers", layers), ("channels", channels), ("resolution", resolution))


# -- session 2: augmentation ----------------------------------------------------------------------
AUGMENT_MAX_SIDE = 7
AUGMENT_MAX_PADDING = 3


@reused
@st.composite
def chw_images(
    draw: st.DrawFn, max_channels: int = 3, min_side: int = 1, max_side: int = AUGMENT_MAX_SIDE
) -> np.ndarray:
    """A (C, H, W) float image with values in [0, 1]; C, H and W drawn apart so an axis mix-up shows.

    Mostly quarters (0, 0.25, … 1: readable, exact), sometimes any value in [0, 1].
    """
    sides = integers(min_side, max_side)
    shape = (draw(integers(1, max_channels)), draw(sides), draw(sides))
    rng = np.random.default_rng(draw(SEEDS))
    if draw(COIN):
        return rng.integers(0, 5, size=shape) / 4
    return rng.uniform(0.0, 1.0, size=shape)


def rng_seeds() -> st.SearchStrategy[int]:
    """A seed passed as `rng`: the student's np.random.default_rng(rng) makes it a Generator."""
    return integers(0, 2**16)


@st.composite
def flip_cases(draw: st.DrawFn) -> Case:
    return Case.of(("x", draw(chw_images())))


@st.composite
def crop_cases(draw: st.DrawFn, min_padding: int = 0, max_padding: int = AUGMENT_MAX_PADDING) -> Case:
    """An image of at least 2 × 2 pixels (one pixel makes every bug look like every other), a padding
    (0 to 3 pixels by default) and a seed."""
    x = draw(chw_images(min_side=2))
    padding = draw(integers(min_padding, max_padding))
    return Case.of(("x", x), ("padding", padding), ("rng", draw(rng_seeds())))


@st.composite
def jitter_factors(draw: st.DrawFn) -> float:
    """A brightness or contrast factor in [0, 2.5]: quarters mostly (1 keeps the image), any float sometimes."""
    quarters = integers(0, 10).map(lambda k: k / 4)
    anything = st.floats(0.0, 2.5, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    return draw(st.one_of(quarters, anything))


@st.composite
def jitter_cases(draw: st.DrawFn) -> Case:
    return Case.of(("x", draw(chw_images())), ("factor", draw(jitter_factors())))


@st.composite
def augment_cases(draw: st.DrawFn) -> Case:
    """An image and a seed; padding and jitter given by keyword or left at their defaults."""
    keywords: dict[str, object] = {}
    if draw(COIN):
        keywords["padding"] = draw(integers(0, AUGMENT_MAX_PADDING))
    if draw(COIN):
        keywords["jitter"] = draw(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9]))
    return Case.of(("x", draw(chw_images(min_side=2))), ("rng", draw(rng_seeds())), **keywords)


# -- session 3: optimizers, dropout, receptive field --
@reused
@st.composite
def distinct_nchw(draw: st.DrawFn, max_side: int = 6) -> tuple[int, int, int, int]:
    """N, C, H and W all different (1 to max_side), so that any axis mix-up changes the shape."""
    sizes = draw(st.lists(integers(1, max_side), min_size=4, max_size=4, unique=True))
    return tuple(sizes)  # type: ignore[return-value]


@st.composite
def global_pool_cases(draw: st.DrawFn) -> Case:
    """Feature maps (N, C, H, W) with N, C, H, W all different."""
    return Case.of(("x", draw(float_arrays(draw(distinct_nchw())))))


@st.composite
def receptive_field_cases(draw: st.DrawFn, max_layers: int = 6) -> Case:
    """A stack of 1 to 6 layers, each (kernel 1–7, stride 1–3): a receptive field of at most 2,185."""
    layer = st.tuples(integers(1, 7), integers(1, 3))
    return Case.of(("layers", draw(st.lists(layer, min_size=1, max_size=max_layers))))


@dataclass(frozen=True)
class OptimizerRun:
    """A short training run drawn for an optimizer check: the check replays it with torch.optim.

    grads[k] is the gradient of step k + 1; the student is asked for the LAST step, from the state
    torch's optimizer reached after the steps before it, so every step of a run gets compared.
    """

    param: np.ndarray
    grads: tuple[np.ndarray, ...]
    lr: float
    settings: tuple[tuple[str, object], ...]
    """Hyperparameters given to the student by keyword (left out: the default)."""


OPTIMIZER_MAX_STEPS = 6


@st.composite
def optimizer_runs(draw: st.DrawFn, kind: str) -> OptimizerRun:
    """A parameter of 1 to 3 dimensions, 1 to 6 gradients, a learning rate and, by kind:

    - "sgd": a momentum in (0, 1), always given (it has no default);
    - "adam": betas and eps left to their defaults or given, with eps up to 0.5 so that where
      eps goes (inside or outside the square root) changes the result.

    The learning rate is never 1, where "lr applied to the velocity" and torch's form agree.
    """
    shape = draw(small_shapes(max_dims=3, max_side=4))
    steps = draw(integers(1, OPTIMIZER_MAX_STEPS))
    param = draw(float_arrays(shape))
    grads = tuple(draw(float_arrays(shape)) for _ in range(steps))
    lr = draw(st.sampled_from([0.1, 0.5, 0.05, 0.25, 0.01]))
    settings: list[tuple[str, object]] = []
    if kind == "sgd":
        settings.append(("momentum", draw(st.sampled_from([0.9, 0.5, 0.75, 0.25, 0.99]))))
    else:
        if draw(COIN):
            settings.append(("betas", draw(st.sampled_from([(0.9, 0.999), (0.5, 0.75), (0.8, 0.9)]))))
        if draw(COIN):
            settings.append(("eps", draw(st.sampled_from([1e-8, 1e-3, 0.1, 0.5]))))
    return OptimizerRun(param, grads, lr, tuple(settings))


DROPOUT_PROBABILITIES = (0.25, 0.5, 0.75, 0.1, 0.9, 0.0)
"""Drop probabilities p: 0 (keep everything) included, 1 excluded (the scale 1/(1 − p) is undefined).
Shrinking goes to the first, 0.25, not 0.5: at p = 0.5, p and 1 − p agree and so do several bugs."""


def dropout_probabilities() -> st.SearchStrategy[float]:
    """Mostly the usual values, sometimes any p in [0, 0.95]."""
    anything = st.floats(0.0, 0.95, allow_nan=False, allow_subnormal=False)
    return st.one_of(st.sampled_from(DROPOUT_PROBABILITIES), anything)


@st.composite
def dropout_cases(draw: st.DrawFn) -> Case:
    """Activations of 1 to 4 dimensions (sides usually different), a drop probability and a seed."""
    x = draw(float_arrays(draw(small_shapes(max_dims=4, max_side=5))))
    return Case.of(("x", x), ("p", draw(dropout_probabilities())), ("rng", draw(rng_seeds())))


DROPOUT_LARGE = 20_000
"""Units in an expected-value case: the mean of the output is then within a few percent of the mean of x."""


@st.composite
def dropout_mean_cases(draw: st.DrawFn) -> Case:
    """Many units (2 × 10,000) of a few distinct values, a drop probability up to 0.75, and a seed."""
    values = draw(st.lists(integers(-8, 8).filter(bool).map(lambda k: k / 2), min_size=1, max_size=3))
    x = np.resize(np.array(values), DROPOUT_LARGE).reshape(2, DROPOUT_LARGE // 2)
    p = draw(st.sampled_from([0.5, 0.25, 0.75, 0.1]))
    return Case.of(("x", x), ("p", p), ("rng", draw(rng_seeds())))


@st.composite
def dropout_backward_cases(draw: st.DrawFn) -> Case:
    """dout, a boolean keep mask of the same shape (as dropout draws it) and the drop probability."""
    shape = draw(small_shapes(max_dims=4, max_side=5))
    p = draw(dropout_probabilities())
    keep = np.random.default_rng(draw(rng_seeds())).random(shape) >= p
    return Case.of(("dout", draw(float_arrays(shape))), ("keep", keep), ("p", p))


@dataclass(frozen=True)
class GradientProblem:
    """A scalar function (by name), the point x where to differentiate it, its parameters, and h.

    The check turns the name into a NumPy expression for the student's side and a torch function
    for autograd. h is left out (None: the default 1e-5) or given: up to 1e-2 for the quadratic
    functions, where central differences are exact whatever h is, so that a forward difference or a
    point left shifted by h shows clearly; at most 1e-4 for the others.
    """

    name: str
    x: np.ndarray
    params: tuple[tuple[str, object], ...]
    h: float | None


GRADIENT_FUNCTIONS = ("quadratic", "quadratic_form", "cubic", "tanh", "log_sum_exp", "cross_entropy", "norm")
EXACT_FOR_ANY_H = ("quadratic", "quadratic_form")


@st.composite
def gradient_problems(draw: st.DrawFn) -> GradientProblem:
    """x of 1 to 3 dimensions (1-D for a quadratic form or a cross-entropy), values in [−2, 2]."""
    name = draw(st.sampled_from(GRADIENT_FUNCTIONS))
    vector = name in ("quadratic_form", "cross_entropy")
    shape = (draw(integers(2, 6)),) if vector else draw(small_shapes(max_dims=3, max_side=4))
    x = draw(float_arrays(shape, bound=2.0))
    params: dict[str, object] = {}
    if name == "quadratic":
        params = {"a": draw(float_arrays(shape)), "b": draw(float_arrays(shape))}
    elif name in ("cubic", "tanh"):
        params = {"a": draw(float_arrays(shape))}
    elif name == "quadratic_form":
        params = {"A": draw(float_arrays((shape[0], shape[0])))}
    elif name == "cross_entropy":
        params = {"label": draw(integers(0, shape[0] - 1))}
    steps = [None, 1e-3, 1e-2] if name in EXACT_FOR_ANY_H else [None, 1e-4]
    return GradientProblem(name, x, tuple(params.items()), draw(st.sampled_from(steps)))


# -- session 3: backward passes --
# Every backward case carries `dout`, the upstream gradient, shaped like the forward output, so the
# student's function receives exactly what it would receive inside a network. Values come from
# float_arrays: mostly halves, so exact zeros (ReLU's kink) and ties (max pooling) are common.


def _seeded(draw: st.DrawFn) -> np.random.Generator:
    return np.random.default_rng(draw(SEEDS))


@st.composite
def relu_backward_cases(draw: st.DrawFn) -> Case:
    """dout and x of one shape (any ndim); about a third of x is exactly 0, where ReLU's gradient is 0."""
    shape = draw(small_shapes())
    x = draw(float_arrays(shape))
    x = np.where(_seeded(draw).random(shape) < 0.3, 0.0, x)
    return Case.of(("dout", draw(float_arrays(shape))), ("x", x))


@st.composite
def cross_entropy_cases(draw: st.DrawFn) -> Case:
    """logits (N, K) and integer labels (N,) in [0, K): small logits, logits in the thousands (where
    exp overflows), or rows of very different magnitude. N and K are drawn apart so a swap shows."""
    n, k = draw(integers(1, 5)), draw(integers(2, 6))
    logits = draw(float_arrays((n, k)))
    kind = draw(st.sampled_from(["small", "huge", "mixed"]))
    if kind == "huge":
        logits = logits * 250.0 + draw(st.sampled_from([1000.0, -1000.0, 3000.0]))
    elif kind == "mixed":
        logits = logits * 10.0 ** _seeded(draw).integers(0, 4, size=(n, 1))
    labels = np.array(draw(st.lists(integers(0, k - 1), min_size=n, max_size=n)), dtype=np.int64)
    return Case.of(("logits", logits), ("labels", labels))


@st.composite
def conv2d_backward_cases(draw: st.DrawFn) -> Case:
    """dout (N, C_out, H_out, W_out), x and w of a valid conv2d; stride and padding as ints or pairs,
    sometimes left at their defaults."""
    config = draw(conv_configs())
    x = draw(float_arrays((config.batch, config.c_in, config.height, config.width)))
    w = draw(float_arrays((config.c_out, config.c_in, *config.kernel)))
    dout = draw(float_arrays((config.batch, config.c_out, *config.output_size())))
    keywords: dict[str, object] = {"stride": config.stride_arg, "padding": config.padding_arg}
    for name, default in (("stride", 1), ("padding", 0)):
        if keywords[name] == default and draw(COIN):
            del keywords[name]
    return Case.of(("dout", dout), ("x", x), ("w", w), **keywords)


def pool_output_size(shape: tuple[int, ...], config: PoolConfig) -> tuple[int, int]:
    return tuple(  # type: ignore[return-value]
        (n + 2 * p - k) // s + 1
        for n, p, k, s in zip(shape[2:], config.padding, config.kernel, config.stride)
    )


def _pool_keywords(config: PoolConfig) -> dict[str, object]:
    keywords: dict[str, object] = {}
    if config.stride_arg is not None:
        keywords["stride"] = config.stride_arg
    if config.padding_arg != 0:
        keywords["padding"] = config.padding_arg
    return keywords


@reused
@st.composite
def pool_input_shapes(draw: st.DrawFn, config: PoolConfig) -> tuple[int, int, int, int]:
    sides = [draw(integers(max(1, k - 2 * p), MAX_SIDE)) for k, p in zip(config.kernel, config.padding)]
    return (draw(integers(1, MAX_BATCH)), draw(integers(1, MAX_CHANNELS)), sides[0], sides[1])


@st.composite
def max_pool2d_backward_cases(draw: st.DrawFn) -> Case:
    """dout, x and a valid pooling; half the inputs hold only a few distinct values, so most windows
    have a tied maximum, and some inputs are all negative (a padded 0 must never win)."""
    config = draw(pool_configs())
    shape = draw(pool_input_shapes(config))
    if draw(COIN):
        x = _seeded(draw).integers(-1, 2, size=shape) / 2  # -0.5, 0 and 0.5 only: ties everywhere
    else:
        x = draw(float_arrays(shape))
    if draw(COIN):
        x = -np.abs(x) - 0.5
    dout = draw(float_arrays(shape[:2] + pool_output_size(shape, config)))
    return Case.of(("dout", dout), ("x", x), ("kernel_size", config.kernel_arg), **_pool_keywords(config))


@st.composite
def avg_pool2d_backward_cases(draw: st.DrawFn) -> Case:
    """dout, the input's shape x_shape (a tuple of ints) and a valid pooling."""
    config = draw(pool_configs())
    shape = draw(pool_input_shapes(config))
    dout = draw(float_arrays(shape[:2] + pool_output_size(shape, config)))
    return Case.of(
        ("dout", dout), ("x_shape", shape), ("kernel_size", config.kernel_arg), **_pool_keywords(config)
    )


@st.composite
def batch_norm_backward_cases(draw: st.DrawFn) -> Case:
    """dout and x (N, C, H, W), gamma (C,), and eps left at 1e-5 or large enough to matter."""
    shape = draw(batch_shapes(min_channels=2))
    dims = (shape.batch, shape.channels, shape.height, shape.width)
    x = draw(float_arrays(dims))
    gamma = draw(float_arrays((shape.channels,)))
    dout = draw(float_arrays(dims))
    eps = draw(st.sampled_from([None, 0.1, 0.5, 1.0]))
    keywords = {} if eps is None else {"eps": eps}
    return Case.of(("dout", dout), ("x", x), ("gamma", gamma), **keywords)

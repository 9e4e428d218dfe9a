"""inception_module: 1×1 convolution as channel mixing, and GoogLeNet's Inception module.

conv1x1 is checked against F.conv2d with a (C_out, C_in, 1, 1) kernel; inception_module against
a torch.nn Inception module (built below, ReLU after every convolution as in GoogLeNet and
DDL2023 §8.4) loaded with the same weights. The file's conv2d (usually the student's session-1
one, imported) is checked first, so a bug there is reported as a conv2d bug.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from tutor.checking import strategies
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _reference as ref
from tutor.checks import conv2d as conv2d_check

# -- conv1x1 --------------------------------------------------------------------------------------
TRANSPOSED_WEIGHT = (
    "You used the mixing matrix the wrong way round: out[:, o] = Σ_c w[o, c]·x[:, c], so w[:, :, 0, 0] has "
    "shape (C_out, C_in) and output channel o is row o. Reading it as (C_in, C_out) (w.T, or "
    "w.reshape(C_in, C_out)) mixes the channels with the wrong weights."
)
PIXELS_RESHAPED = (
    "You reshaped x from (N, C, H, W) to (N, H·W, C) with reshape, which does not move the channel axis: "
    "it regroups numbers from different channels. Move the axis first (np.moveaxis or transpose), or "
    "use x.reshape(N, C, H·W), or np.einsum('oc,nchw->nohw', w[:, :, 0, 0], x)."
)
NO_BIAS_1X1 = "You left out the bias: add b[o] to every pixel of output channel o (when b is not None)."
NO_MIXING = "Output channel o must mix ALL input channels, Σ_c w[o, c]·x[:, c]; your result uses one input channel per output."

# -- inception_module -----------------------------------------------------------------------------
WRONG_AXIS = (
    "You concatenated the branches on the wrong axis. Each branch returns (N, C_branch, H, W) with the "
    "same N, H and W; the module stacks them on the channel axis: np.concatenate([...], axis=1)."
)
ZERO_PADDED_POOL = (
    "Your 3×3 max-pool pads with zeros. Padding for a max-pool must never win, so it is −inf "
    "(F.max_pool2d pads with −inf): with zeros, a border window of negative values returns 0. "
    "Use np.pad(x, ..., constant_values=-np.inf)."
)
BRANCH_ORDER = (
    "Your branches are concatenated in the wrong order. The order is fixed, as in GoogLeNet: "
    "[branch 1 (1×1), branch 2 (1×1 → 3×3), branch 3 (1×1 → 5×5), branch 4 (max-pool → 1×1)]."
)
NO_RELU = "You left out the ReLUs: in GoogLeNet every convolution of the module, the 1×1 reductions included, is followed by a ReLU."
NO_REDUCE_RELU = (
    "You left out the ReLU after the 1×1 reductions (branch2_reduce, branch3_reduce): every convolution "
    "is followed by a ReLU, also the ones that only shrink the channels before the 3×3 and the 5×5."
)
NO_OUTPUT_RELU = "Each branch's last convolution is followed by a ReLU too (branch1, branch2, branch3, branch4): the module's output is never negative."
POOL_AFTER_PROJECTION = "Branch 4 pools first and projects after: 3×3 max-pool (stride 1, padding 1), then the 1×1 convolution branch4, then ReLU."
AVERAGE_POOL = "Branch 4 uses a MAX-pool (3×3, stride 1, padding 1), not an average pool."

CONV2D_PROPERTY = replace(
    conv2d_check.CHECK.properties[0],
    name="the conv2d this file uses matches F.conv2d (run `tutor check conv2d` to fix it there)",
    max_examples=20,
    weight=0.15,
)


class Inception(nn.Module):
    """GoogLeNet's Inception module [Szegedy et al. 2014; DDL2023 §8.4], ReLU after every convolution."""

    def __init__(self, c_in: int, c1: int, c2: tuple[int, int], c3: tuple[int, int], c4: int) -> None:
        super().__init__()
        self.branch1 = nn.Conv2d(c_in, c1, 1)
        self.branch2_reduce = nn.Conv2d(c_in, c2[0], 1)
        self.branch2 = nn.Conv2d(c2[0], c2[1], 3, padding=1)
        self.branch3_reduce = nn.Conv2d(c_in, c3[0], 1)
        self.branch3 = nn.Conv2d(c3[0], c3[1], 5, padding=2)
        self.branch4_pool = nn.MaxPool2d(3, stride=1, padding=1)
        self.branch4 = nn.Conv2d(c_in, c4, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        relu = torch.relu
        b1 = relu(self.branch1(x))
        b2 = relu(self.branch2(relu(self.branch2_reduce(x))))
        b3 = relu(self.branch3(relu(self.branch3_reduce(x))))
        b4 = relu(self.branch4(self.branch4_pool(x)))
        return torch.cat((b1, b2, b3, b4), dim=1)


def _module_for(params: dict[str, np.ndarray]) -> Inception:
    shape = {name: params[f"{name}_w"].shape for name in strategies.INCEPTION_BRANCHES}
    c_in = shape["branch1"][1]
    module = Inception(
        c_in,
        shape["branch1"][0],
        (shape["branch2_reduce"][0], shape["branch2"][0]),
        (shape["branch3_reduce"][0], shape["branch3"][0]),
        shape["branch4"][0],
    ).double()
    with torch.no_grad():
        for name in strategies.INCEPTION_BRANCHES:
            layer = getattr(module, name)
            layer.weight.copy_(ref.tensor(params[f"{name}_w"]))
            layer.bias.copy_(ref.tensor(params[f"{name}_b"]))
    return module.eval()


# -- references -----------------------------------------------------------------------------------
def _conv1x1_expect(case: Case) -> np.ndarray:
    return ref.conv2d(case["x"], case["w"], case.get("b"))


def _conv1x1_transposed(case: Case) -> np.ndarray:
    c_out, c_in = case["w"].shape[:2]
    mixing = case["w"].reshape(c_in, c_out)  # read as [c, o]
    out = np.einsum("co,nchw->nohw", mixing, case["x"])
    b = case.get("b")
    return out if b is None else out + b[None, :, None, None]


def _conv1x1_pixels_reshaped(case: Case) -> np.ndarray:
    x, w, b = case["x"], case["w"], case.get("b")
    n, c, h, wd = x.shape
    out = x.reshape(n, h * wd, c) @ w[:, :, 0, 0].T  # (N, H·W, C_out) from regrouped numbers
    if b is not None:
        out = out + b
    return out.reshape(n, w.shape[0], h, wd)


def _conv1x1_no_mixing(case: Case) -> np.ndarray:
    x, w, b = case["x"], case["w"], case.get("b")
    c_out, c_in = w.shape[:2]
    if c_out != c_in:
        return None  # type: ignore[return-value]
    out = np.einsum("cc,nchw->nchw", w[:, :, 0, 0], x)
    return out if b is None else out + b[None, :, None, None]


def _inception_expect(case: Case) -> np.ndarray:
    with torch.no_grad():
        return _module_for(case["params"])(ref.tensor(case["x"])).numpy()


def _inception_variant(
    order: tuple[int, ...] = (0, 1, 2, 3),
    axis: int = 1,
    pool_pad: float = -np.inf,
    reduce_relu: bool = True,
    output_relu: bool = True,
    pool_first: bool = True,
    average: bool = False,
):  # noqa: ANN202 - builds the misconception table below
    def predict(case: Case) -> np.ndarray:
        x, params = case["x"], case["params"]

        def conv(z: np.ndarray, name: str, padding: int = 0) -> np.ndarray:
            return ref.conv2d(z, params[f"{name}_w"], params[f"{name}_b"], padding=padding)

        def out_relu(z: np.ndarray) -> np.ndarray:
            return np.maximum(z, 0.0) if output_relu else z

        def reduce(z: np.ndarray) -> np.ndarray:
            return np.maximum(z, 0.0) if reduce_relu else z

        def pool(z: np.ndarray) -> np.ndarray:
            if average:
                with torch.no_grad():
                    return F.avg_pool2d(ref.tensor(z), 3, stride=1, padding=1).numpy()
            padded = np.pad(z, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=pool_pad)
            with torch.no_grad():
                return F.max_pool2d(ref.tensor(padded), 3, stride=1).numpy()

        branches = [
            out_relu(conv(x, "branch1")),
            out_relu(conv(reduce(conv(x, "branch2_reduce")), "branch2", 1)),
            out_relu(conv(reduce(conv(x, "branch3_reduce")), "branch3", 2)),
            out_relu(conv(pool(x), "branch4")) if pool_first else out_relu(pool(conv(x, "branch4"))),
        ]
        return np.concatenate([branches[i] for i in order], axis=axis)

    return predict


def _explicit_conv1x1() -> list[Case]:
    rng = np.random.default_rng(7)
    x = rng.integers(-3, 4, size=(2, 3, 4, 5)).astype(np.float64)
    return [
        Case.of(
            ("x", np.arange(8.0).reshape(1, 2, 2, 2)),
            ("w", np.array([1.0, 1.0, 1.0, -1.0, 0.5, 0.0]).reshape(3, 2, 1, 1)),
            label="the statement's example",
        ),
        Case.of(
            ("x", x),
            ("w", rng.integers(-2, 3, size=(4, 3, 1, 1)).astype(np.float64)),
            b=np.array([0.5, -1.0, 0.0, 2.0]),
            label="distinct N, C_in, C_out, H, W, with a bias",
        ),
        Case.of(
            ("x", x), ("w", rng.normal(0, 1, (3, 3, 1, 1))), b=None, label="a square mixing matrix, no bias"
        ),
    ]


def _explicit_inception() -> list[Case]:
    rng = np.random.default_rng(17)

    def params(
        c_in: int, c1: int, c2: tuple[int, int], c3: tuple[int, int], c4: int
    ) -> dict[str, np.ndarray]:
        shapes = {
            "branch1": (c1, c_in, 1),
            "branch2_reduce": (c2[0], c_in, 1),
            "branch2": (c2[1], c2[0], 3),
            "branch3_reduce": (c3[0], c_in, 1),
            "branch3": (c3[1], c3[0], 5),
            "branch4": (c4, c_in, 1),
        }
        out: dict[str, np.ndarray] = {}
        for name, (o, i, k) in shapes.items():
            out[f"{name}_w"] = rng.normal(0, 0.5, (o, i, k, k))
            out[f"{name}_b"] = rng.normal(0, 0.5, o)
        return out

    x = rng.normal(0, 1, (2, 3, 5, 4))
    return [
        Case.of(
            ("x", x),
            ("params", params(3, 2, (2, 3), (1, 2), 1)),
            label="the statement's example: 2 + 3 + 2 + 1 = 8 channels",
        ),
        Case.of(
            ("x", -np.abs(x) - 0.5),
            ("params", params(3, 1, (2, 1), (2, 1), 2)),
            label="all-negative input: the pool's padding matters",
        ),
        Case.of(
            ("x", rng.normal(0, 1, (1, 2, 1, 1))),
            ("params", params(2, 1, (1, 2), (1, 1), 3)),
            label="a 1×1 image",
        ),
    ]


CHECK = ExerciseCheck(
    properties=(
        CONV2D_PROPERTY,
        Property(
            name="conv1x1 matches torch.nn.functional.conv2d with a 1×1 kernel",
            function="conv1x1",
            cases=strategies.conv1x1_cases,
            expect=_conv1x1_expect,
            misconceptions=(
                Misconception(TRANSPOSED_WEIGHT, _conv1x1_transposed),
                Misconception(PIXELS_RESHAPED, _conv1x1_pixels_reshaped),
                Misconception(NO_BIAS_1X1, lambda case: ref.conv2d(case["x"], case["w"])),
                Misconception(NO_MIXING, _conv1x1_no_mixing),
            ),
            explicit=_explicit_conv1x1,
            max_examples=50,
            weight=0.25,
        ),
        Property(
            name="inception_module matches a torch Inception module with the same weights",
            function="inception_module",
            cases=strategies.inception_cases,
            expect=_inception_expect,
            misconceptions=(
                Misconception(WRONG_AXIS, _inception_variant(axis=0)),
                Misconception(WRONG_AXIS, _inception_variant(axis=2)),
                Misconception(WRONG_AXIS, _inception_variant(axis=3)),
                Misconception(ZERO_PADDED_POOL, _inception_variant(pool_pad=0.0)),
                Misconception(BRANCH_ORDER, _inception_variant(order=(3, 2, 1, 0))),
                Misconception(BRANCH_ORDER, _inception_variant(order=(3, 0, 1, 2))),
                Misconception(BRANCH_ORDER, _inception_variant(order=(0, 2, 1, 3))),
                Misconception(BRANCH_ORDER, _inception_variant(order=(0, 1, 3, 2))),
                Misconception(NO_RELU, _inception_variant(reduce_relu=False, output_relu=False)),
                Misconception(NO_REDUCE_RELU, _inception_variant(reduce_relu=False)),
                Misconception(NO_OUTPUT_RELU, _inception_variant(output_relu=False)),
                Misconception(POOL_AFTER_PROJECTION, _inception_variant(pool_first=False)),
                Misconception(AVERAGE_POOL, _inception_variant(average=True)),
            ),
            explicit=_explicit_inception,
            max_examples=30,
            weight=0.6,
        ),
    ),
)

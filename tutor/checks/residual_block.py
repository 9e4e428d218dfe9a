"""residual_block: ResNet's basic block (BN in inference mode) against tutor.models.BasicBlock.

The student may reuse their session-1 conv2d, so the first property checks the conv2d the file
uses: a bug there is then reported as what it is, with conv2d's own diagnosis, instead of as a
baffling difference in the block's output.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import torch

from tutor import models
from tutor.checking import strategies
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _reference as ref
from tutor.checks import conv2d as conv2d_check

EPS = 1e-5
RELU_BEFORE_ADD = (
    "You applied a ReLU to the main branch before adding the shortcut. In the basic block the second "
    "BN's output is added to the shortcut first, and the ReLU comes after the addition: ReLU(BN2(...) + shortcut)."
)
NO_FINAL_RELU = "You left out the final ReLU: the block returns ReLU(main + shortcut)."
NO_SHORTCUT = (
    "You left out the shortcut: a residual block adds shortcut(x) to the main branch before the final ReLU."
)
IGNORED_PROJECTION = (
    "You added x itself although the shape changes: when stride ≠ 1 or C_in ≠ C_out, params has a "
    "'proj' 1×1 convolution (with stride) and its BN (proj_bn_*), and the shortcut is BN(proj(x))."
)
PROJECTION_NO_BN = (
    "Your projection shortcut skips its BatchNorm: it is BN(proj(x)) with the proj_bn_* statistics."
)
PROJECTION_NO_STRIDE = "Your 1×1 projection ignores the stride: it must downsample x by `stride`, like conv1."
PROJECTION_PADDED = (
    "Your 1×1 projection has padding 1: a 1×1 convolution keeps the size with padding 0, and padding 1 adds "
    "a row and a column of zeros on each side, so the shortcut comes out larger than the main branch (here "
    "it broadcast over it). Only the 3×3 convolutions take padding 1; call the projection with padding 0."
)
BATCH_STATISTICS = (
    "You normalised with the batch's own mean and variance (training mode). Here BN runs in inference "
    "mode: use the stored statistics bn*_mean and bn*_var."
)
STRIDE_ON_CONV2 = "You put the stride on the second convolution; in ResNet's basic block conv1 carries the stride and conv2 has stride 1."
EPS_OUTSIDE = "You put EPS outside the square root in BN: (z − mean) / √(var + EPS)."
NO_INNER_RELU = (
    "The ReLU after the first BN is missing: the main branch is conv1 → BN1 → ReLU → conv2 → BN2, and "
    "the second ReLU comes after the addition."
)
NO_SQRT = (
    "Your BN divides by var + EPS, not by its square root: BN scales by the standard deviation, "
    "(z − mean) / √(var + EPS)."
)
RELU_ON_BRANCHES = (
    "You applied a ReLU to each branch and then added them: the main branch (after its last BN, with no "
    "ReLU) is added to the shortcut as it is, and one ReLU follows the sum: ReLU(main + shortcut)."
)
ADD_BEFORE_BN = (
    "You added the shortcut before the last BN, so BN also normalised the shortcut: the shortcut joins "
    "after the main branch's last BN, ReLU(BN(conv(...)) + shortcut)."
)

CONV2D_PROPERTY = replace(
    conv2d_check.CHECK.properties[0],
    name="the conv2d this file uses matches F.conv2d (run `tutor check conv2d` to fix it there)",
    max_examples=20,
    weight=0.2,
)


def _block(case: Case, **change: object) -> np.ndarray:
    """The block computed by torch, optionally with one classic change (for the misconceptions)."""
    x, params, stride = case["x"], case["params"], case.get("stride", 1)
    c_out, c_in = params["conv1"].shape[:2]
    use_projection = "proj" in params
    conv = ref.conv2d

    def bn(z: np.ndarray, name: str) -> np.ndarray:
        if change.get("batch_statistics"):
            mean, var = z.mean(axis=(0, 2, 3)), z.var(axis=(0, 2, 3))
        else:
            mean, var = params[f"{name}_mean"], params[f"{name}_var"]
        scale = (
            np.sqrt(var)[None, :, None, None] + EPS
            if change.get("eps_outside")
            else (var + EPS)[None, :, None, None]
            if change.get("no_sqrt")
            else np.sqrt(var + EPS)[None, :, None, None]
        )
        return (
            params[f"{name}_gamma"][None, :, None, None] * (z - mean[None, :, None, None]) / scale
            + params[f"{name}_beta"][None, :, None, None]
        )

    if not change:
        block = models.BasicBlock(c_in, c_out, stride).double().eval()
        with torch.no_grad():
            block.conv1.weight.copy_(ref.tensor(params["conv1"]))
            block.conv2.weight.copy_(ref.tensor(params["conv2"]))
            norms = [(block.bn1, "bn1"), (block.bn2, "bn2")]
            if use_projection:
                block.shortcut[0].weight.copy_(ref.tensor(params["proj"]))
                norms.append((block.shortcut[1], "proj_bn"))
            for layer, name in norms:
                layer.weight.copy_(ref.tensor(params[f"{name}_gamma"]))
                layer.bias.copy_(ref.tensor(params[f"{name}_beta"]))
                layer.running_mean.copy_(ref.tensor(params[f"{name}_mean"]))
                layer.running_var.copy_(ref.tensor(params[f"{name}_var"]))
            return block(ref.tensor(x)).numpy()

    s1, s2 = (1, stride) if change.get("stride_on_conv2") else (stride, 1)
    main = bn(conv(x, params["conv1"], stride=s1, padding=1), "bn1")
    main = main if change.get("no_inner_relu") else np.maximum(main, 0.0)
    main = conv(main, params["conv2"], stride=s2, padding=1)
    main = main if change.get("add_before_bn") else bn(main, "bn2")
    if change.get("relu_before_add"):
        main = np.maximum(main, 0.0)
    if change.get("no_shortcut"):
        shortcut = 0.0
    elif use_projection and not change.get("ignore_projection"):
        projected = conv(
            x,
            params["proj"],
            stride=1 if change.get("projection_no_stride") else stride,
            padding=1 if change.get("projection_padded") else 0,
        )
        shortcut = projected if change.get("projection_no_bn") else bn(projected, "proj_bn")
    elif use_projection:  # the projection ignored: x itself, at best subsampled to the output size
        shortcut = x[:, :, ::stride, ::stride]
    else:
        shortcut = x
    if change.get("relu_on_branches"):
        return np.maximum(main, 0.0) + np.maximum(shortcut, 0.0)
    total = main + shortcut
    if change.get("add_before_bn"):
        total = bn(total, "bn2")
    return total if change.get("no_final_relu") else np.maximum(total, 0.0)


def _expect(case: Case) -> np.ndarray:
    return _block(case)


def _variant(**change: object):  # noqa: ANN202
    return lambda case: _block(case, **change)


def _explicit() -> list[Case]:
    rng = np.random.default_rng(5)

    def stats(prefix: str, c: int) -> dict[str, np.ndarray]:
        return strategies.explicit_batch_norm_statistics(rng, prefix, c)

    def case(c_in: int, c_out: int, stride: int, label: str) -> Case:
        params = {
            "conv1": rng.normal(0, 0.5, (c_out, c_in, 3, 3)),
            **stats("bn1", c_out),
            "conv2": rng.normal(0, 0.5, (c_out, c_out, 3, 3)),
            **stats("bn2", c_out),
        }
        if strategies.needs_projection(c_in, c_out, stride):
            params |= {"proj": rng.normal(0, 0.5, (c_out, c_in, 1, 1)), **stats("proj_bn", c_out)}
        return Case.of(
            ("x", rng.normal(0, 1, (2, c_in, 6, 5))), ("params", params), stride=stride, label=label
        )

    return [
        case(3, 3, 1, "identity shortcut"),
        case(3, 4, 2, "1×1 projection with stride 2"),
        case(2, 2, 2, "same channels but stride 2: still a projection"),
        case(2, 4, 1, "more channels at stride 1: a projection without downsampling"),
    ]


CHECK = ExerciseCheck(
    properties=(
        CONV2D_PROPERTY,
        Property(
            name="matches a torch ResNet basic block (BN in eval mode) with the same weights",
            function="residual_block",
            cases=strategies.residual_block_cases,
            expect=_expect,
            misconceptions=(
                Misconception(RELU_BEFORE_ADD, _variant(relu_before_add=True)),
                Misconception(RELU_BEFORE_ADD, _variant(relu_before_add=True, no_final_relu=True)),
                Misconception(NO_FINAL_RELU, _variant(no_final_relu=True)),
                Misconception(NO_SHORTCUT, _variant(no_shortcut=True)),
                Misconception(IGNORED_PROJECTION, _variant(ignore_projection=True)),
                Misconception(PROJECTION_NO_BN, _variant(projection_no_bn=True)),
                Misconception(PROJECTION_NO_STRIDE, _variant(projection_no_stride=True)),
                Misconception(PROJECTION_PADDED, _variant(projection_padded=True)),
                Misconception(BATCH_STATISTICS, _variant(batch_statistics=True)),
                Misconception(STRIDE_ON_CONV2, _variant(stride_on_conv2=True)),
                Misconception(EPS_OUTSIDE, _variant(eps_outside=True)),
                Misconception(NO_SQRT, _variant(no_sqrt=True)),
                Misconception(NO_INNER_RELU, _variant(no_inner_relu=True)),
                Misconception(RELU_ON_BRANCHES, _variant(relu_on_branches=True)),
                Misconception(ADD_BEFORE_BN, _variant(add_before_bn=True)),
            ),
            explicit=_explicit,
            max_examples=30,
            weight=0.8,
        ),
    ),
)

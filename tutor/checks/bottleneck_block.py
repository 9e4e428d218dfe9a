"""bottleneck_block: ResNet's bottleneck block (BN in inference mode) against tutor.models.Bottleneck.

As in residual_block, the first property checks the conv2d the file uses (the student may reuse
their session-1 conv2d), so a bug there is reported as a conv2d bug. The stride sits on the 3×3
(torchvision's "v1.5", which tutor.models.Bottleneck builds); the paper's first-1×1 placement is
one of the misconceptions. (A stride on the last 1×1 is no misconception: conv3, BN3 and the
ReLU act pixel by pixel, so it picks the same values; tests/variants keeps it as a right variant.)
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
    "You applied a ReLU to the main branch before adding the shortcut. The third BN's output is added "
    "to the shortcut first, and the ReLU comes after the addition: ReLU(BN3(conv3(...)) + shortcut)."
)
NO_FINAL_RELU = "You left out the final ReLU: the block returns ReLU(main + shortcut)."
NO_INNER_RELU = (
    "A ReLU is missing inside the main branch: BN1 and BN2 are each followed by a ReLU; only BN3 is not "
    "(its ReLU comes after the addition)."
)
NO_SQRT = (
    "Your BN divides by var + EPS, not by its square root: BN scales by the standard deviation, "
    "(z − mean) / √(var + EPS)."
)
RELU_ON_BRANCHES = (
    "You applied a ReLU to each branch and then added them: the main branch (after BN3, with no ReLU) "
    "is added to the shortcut as it is, and one ReLU follows the sum: ReLU(main + shortcut)."
)
ADD_BEFORE_BN = (
    "You added the shortcut before BN3, so BN also normalised the shortcut: the shortcut joins after "
    "the main branch's last BN, ReLU(BN3(conv3(...)) + shortcut)."
)
STRIDE_ON_CONV1 = (
    "You put the stride on the first 1×1 convolution, as the original paper did. This course follows "
    "torchvision's ResNet v1.5: the 3×3 convolution (conv2) carries the stride; conv1 and conv3 have stride 1."
)
IGNORED_PROJECTION = (
    "You added x itself although the shape changes: when stride ≠ 1 or C_in ≠ 4·width, params has a "
    "'proj' 1×1 convolution (with stride) and its BN (proj_bn_*), and the shortcut is BN(proj(x))."
)
PROJECTION_NO_BN = (
    "Your projection shortcut skips its BatchNorm: it is BN(proj(x)) with the proj_bn_* statistics."
)
PROJECTION_NO_STRIDE = "Your 1×1 projection ignores the stride: it must downsample x by `stride`, like conv2."
BATCH_STATISTICS = (
    "You normalised with the batch's own mean and variance (training mode). Here BN runs in inference "
    "mode: use the stored statistics bn*_mean and bn*_var."
)

CONV2D_PROPERTY = replace(
    conv2d_check.CHECK.properties[0],
    name="the conv2d this file uses matches F.conv2d (run `tutor check conv2d` to fix it there)",
    max_examples=20,
    weight=0.2,
)


def _torch_block(case: Case) -> np.ndarray:
    """The reference: tutor.models.Bottleneck in eval mode, loaded with the case's weights, in float64."""
    x, params, stride = case["x"], case["params"], case.get("stride", 1)
    width, c_in = params["conv1"].shape[:2]
    block = models.Bottleneck(c_in, width, stride).double().eval()
    with torch.no_grad():
        norms: list[tuple[torch.nn.Module, str]] = [
            (block.bn1, "bn1"),
            (block.bn2, "bn2"),
            (block.bn3, "bn3"),
        ]
        for conv, name in [(block.conv1, "conv1"), (block.conv2, "conv2"), (block.conv3, "conv3")]:
            conv.weight.copy_(ref.tensor(params[name]))
        if "proj" in params:
            projection, projection_bn = block.shortcut.children()
            assert isinstance(projection, torch.nn.Conv2d)
            projection.weight.copy_(ref.tensor(params["proj"]))
            norms.append((projection_bn, "proj_bn"))
        for layer, name in norms:
            assert isinstance(layer, torch.nn.BatchNorm2d)
            layer.weight.copy_(ref.tensor(params[f"{name}_gamma"]))
            layer.bias.copy_(ref.tensor(params[f"{name}_beta"]))
            assert layer.running_mean is not None and layer.running_var is not None
            layer.running_mean.copy_(ref.tensor(params[f"{name}_mean"]))
            layer.running_var.copy_(ref.tensor(params[f"{name}_var"]))
        return block(ref.tensor(x)).numpy()


def _block(case: Case, **change: object) -> np.ndarray:
    """The block in NumPy with one classic change (for the misconceptions)."""
    x, params, stride = case["x"], case["params"], case.get("stride", 1)

    def bn(z: np.ndarray, name: str) -> np.ndarray:
        if change.get("batch_statistics"):
            mean, var = z.mean(axis=(0, 2, 3)), z.var(axis=(0, 2, 3))
        else:
            mean, var = params[f"{name}_mean"], params[f"{name}_var"]
        per = lambda v: v[None, :, None, None]  # noqa: E731
        spread = per(var) + EPS if change.get("no_sqrt") else np.sqrt(per(var) + EPS)
        return per(params[f"{name}_gamma"]) * (z - per(mean)) / spread + per(params[f"{name}_beta"])

    where = str(change.get("stride_on", "conv2"))
    strides = {name: (stride if name == where else 1) for name in ("conv1", "conv2", "conv3")}
    missing = change.get("no_inner_relu")  # True: both inner ReLUs; "bn1" or "bn2": that one

    def inner(z: np.ndarray, after: str) -> np.ndarray:
        return z if missing in (True, after) else np.maximum(z, 0.0)

    main = inner(bn(ref.conv2d(x, params["conv1"], stride=strides["conv1"]), "bn1"), "bn1")
    main = inner(bn(ref.conv2d(main, params["conv2"], stride=strides["conv2"], padding=1), "bn2"), "bn2")
    main = ref.conv2d(main, params["conv3"], stride=strides["conv3"])
    main = main if change.get("add_before_bn") else bn(main, "bn3")
    if change.get("relu_before_add"):
        main = np.maximum(main, 0.0)
    if "proj" in params and not change.get("ignore_projection"):
        projected = ref.conv2d(x, params["proj"], stride=1 if change.get("projection_no_stride") else stride)
        shortcut = projected if change.get("projection_no_bn") else bn(projected, "proj_bn")
    elif "proj" in params:  # the projection ignored: x itself, at best subsampled to the output size
        shortcut = x[:, :, ::stride, ::stride]
    else:
        shortcut = x
    if change.get("relu_on_branches"):
        return np.maximum(main, 0.0) + np.maximum(shortcut, 0.0)
    total = main + shortcut
    if change.get("add_before_bn"):
        total = bn(total, "bn3")
    return total if change.get("no_final_relu") else np.maximum(total, 0.0)


def _variant(**change: object):  # noqa: ANN202
    return lambda case: _block(case, **change)


def _explicit() -> list[Case]:
    rng = np.random.default_rng(7)

    def stats(prefix: str, c: int) -> dict[str, np.ndarray]:
        return strategies.explicit_batch_norm_statistics(rng, prefix, c)

    def case(c_in: int, width: int, stride: int, label: str) -> Case:
        c_out = 4 * width
        params = {
            "conv1": rng.normal(0, 0.5, (width, c_in, 1, 1)),
            **stats("bn1", width),
            "conv2": rng.normal(0, 0.5, (width, width, 3, 3)),
            **stats("bn2", width),
            "conv3": rng.normal(0, 0.5, (c_out, width, 1, 1)),
            **stats("bn3", c_out),
        }
        if strategies.needs_projection(c_in, c_out, stride):
            params |= {"proj": rng.normal(0, 0.5, (c_out, c_in, 1, 1)), **stats("proj_bn", c_out)}
        return Case.of(
            ("x", rng.normal(0, 1, (2, c_in, 6, 5))), ("params", params), stride=stride, label=label
        )

    return [
        case(8, 2, 1, "identity shortcut: C_in = 4·width"),
        case(3, 2, 2, "1×1 projection with stride 2"),
        case(4, 1, 2, "C_in = 4·width but stride 2: still a projection"),
        case(2, 2, 1, "first block of a stage at stride 1: a projection without downsampling"),
    ]


CHECK = ExerciseCheck(
    properties=(
        CONV2D_PROPERTY,
        Property(
            name="matches a torch ResNet bottleneck block (BN in eval mode) with the same weights",
            function="bottleneck_block",
            cases=strategies.bottleneck_block_cases,
            expect=_torch_block,
            misconceptions=(
                Misconception(RELU_BEFORE_ADD, _variant(relu_before_add=True)),
                Misconception(RELU_BEFORE_ADD, _variant(relu_before_add=True, no_final_relu=True)),
                Misconception(NO_FINAL_RELU, _variant(no_final_relu=True)),
                Misconception(NO_INNER_RELU, _variant(no_inner_relu=True)),
                Misconception(NO_INNER_RELU, _variant(no_inner_relu="bn1")),
                Misconception(NO_INNER_RELU, _variant(no_inner_relu="bn2")),
                Misconception(NO_SQRT, _variant(no_sqrt=True)),
                Misconception(RELU_ON_BRANCHES, _variant(relu_on_branches=True)),
                Misconception(ADD_BEFORE_BN, _variant(add_before_bn=True)),
                Misconception(STRIDE_ON_CONV1, _variant(stride_on="conv1")),
                Misconception(IGNORED_PROJECTION, _variant(ignore_projection=True)),
                Misconception(PROJECTION_NO_BN, _variant(projection_no_bn=True)),
                Misconception(PROJECTION_NO_STRIDE, _variant(projection_no_stride=True)),
                Misconception(BATCH_STATISTICS, _variant(batch_statistics=True)),
            ),
            explicit=_explicit,
            max_examples=30,
            weight=0.8,
        ),
    ),
)

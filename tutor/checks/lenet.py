"""lenet: the student's torch LeNet, built in the worker and judged here from named arrays.

Three properties: the parameters (names in order, shapes, 61,706 in all), the output of every
stage with those parameters (recomputed here on the reference model from tutor.models), and a
training run whose returned weights must classify the held-out digits, which never leave this
process, with at least 95% accuracy.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import torch
from hypothesis import strategies as st
from torch import nn

from tutor import models
from tutor.checking import strategies
from tutor.checking.compare import ArrayComparison, Mismatch, describe_type
from tutor.checking.result import Status
from tutor.checking.spec import Case, ExerciseCheck, Property
from tutor.data import digits

REQUIRED_ACCURACY = 0.95
STAGE_NAMES = (
    "conv 1 (5×5, 6 filters)",
    "sigmoid 1",
    "average pool 1",
    "conv 2 (5×5, 16 filters)",
    "sigmoid 2",
    "average pool 2",
    "flatten",
    "fully connected 400 → 120",
    "sigmoid 3",
    "fully connected 120 → 84",
    "sigmoid 4",
    "fully connected 84 → 10",
)

NOT_NAMED_ARRAYS = (
    "returned {got}, but a dict {{name: np.ndarray}} was expected. Return "
    "{{name: p.detach().numpy().copy() for name, p in model.named_parameters()}}."
)
WRONG_PARAMETER_COUNT = "has {got_count} parameter arrays with {got_total:,} numbers; LeNet has {want_count} arrays with {want_total:,}. {detail}"
WRONG_PARAMETER_SHAPE = (
    "parameter {index} ({name}) has shape {got}, but layer by layer LeNet's is {want} ({what})."
)
STAGE_COUNT = (
    "self.net has {got} layers; LeNet has {want}: conv, sigmoid, avg-pool, conv, sigmoid, avg-pool, "
    "flatten, linear, sigmoid, linear, sigmoid, linear."
)
STAGE_SHAPE = "the output of stage {index} ({name}) has shape {got}; it should be {want}."
STAGE_VALUES = (
    "the output of stage {index} ({name}) differs from the reference LeNet with the same weights: {what}"
)
STAGE_MATCHES = "Your stage {index} ({name}) matches {hint}"
FORWARD_DIFFERS = "forward() does not return self.net(x): {what}"
LOW_ACCURACY = (
    "The trained model classifies {accuracy:.1%} of the 300 held-out digits correctly; {required:.0%} is needed. "
    "Train for more epochs, check the learning rate (Adam with lr≈5e-3 works), and make sure you "
    "train on training_split() with cross-entropy on the logits."
)
NOT_FINITE_WEIGHTS = "The trained weight {name} contains NaN or infinity: lower the learning rate."

PADDED_CONV = (
    "Your first convolution seems to pad the input (D2L's LeNet pads its 28×28 Fashion-MNIST images by 2); "
    "here the input is already 32×32, so use no padding."
)
HINTS = {
    "ReLU": "ReLU: LeNet-5 as the course describes it uses the sigmoid (nn.Sigmoid).",
    "Tanh": "tanh: this LeNet uses the sigmoid (nn.Sigmoid).",
    "MaxPool2d": "max-pooling: LeNet subsamples by averaging (nn.AvgPool2d(2, stride=2)).",
}
"""What a wrong stage matches (an alternative reference in `_alternative`), and the fix."""
EXTRA_SOFTMAX = (
    "Your last layer applies a softmax: return the logits; cross_entropy applies the softmax itself."
)


def _reference_shapes() -> list[tuple[str, tuple[int, ...]]]:
    return [(name, tuple(p.shape)) for name, p in models.lenet5().named_parameters()]


REFERENCE_SHAPES = _reference_shapes()
_WHAT = [
    "conv 1 weight",
    "conv 1 bias",
    "conv 2 weight",
    "conv 2 bias",
    "fc 1 weight",
    "fc 1 bias",
    "fc 2 weight",
    "fc 2 bias",
    "fc 3 weight",
    "fc 3 bias",
]


def _arrays(value: Any) -> list[np.ndarray] | None:
    if isinstance(value, dict) and value and all(isinstance(v, np.ndarray) for v in value.values()):
        return list(value.values())
    if isinstance(value, list | tuple) and value and all(isinstance(v, np.ndarray) for v in value):
        return list(value)
    return None


def _parameter_problem(value: Any, names: list[str] | None = None) -> str | None:
    arrays = _arrays(value)
    if arrays is None:
        return NOT_NAMED_ARRAYS.format(got=describe_type(value))
    names = names or [f"#{i}" for i in range(len(arrays))]
    want_total = sum(int(np.prod(s)) for _, s in REFERENCE_SHAPES)
    got_total = sum(a.size for a in arrays)
    for index, (array, (_, want)) in enumerate(zip(arrays, REFERENCE_SHAPES)):
        if array.shape != want:
            hint = ""
            if index == 4 and array.ndim == 2 and array.shape[1] == 16 * 6 * 6:
                hint = " " + PADDED_CONV
            return (
                WRONG_PARAMETER_SHAPE.format(
                    index=index, name=names[index], got=array.shape, want=want, what=_WHAT[index]
                )
                + hint
            )
    if len(arrays) != len(REFERENCE_SHAPES):
        detail = "Every convolution and linear layer has a weight and a bias; nothing else is learnable."
        return WRONG_PARAMETER_COUNT.format(
            got_count=len(arrays),
            got_total=got_total,
            want_count=len(REFERENCE_SHAPES),
            want_total=want_total,
            detail=detail,
        )
    return None


def _judge_parameters(case: Case, value: Any) -> Mismatch | None:
    problem = _parameter_problem(value, list(value) if isinstance(value, dict) else None)
    return Mismatch(Status.FAILED, problem) if problem else None


def _loaded(
    arrays: list[np.ndarray], dtype: torch.dtype = torch.float64, net: nn.Sequential | None = None
) -> nn.Sequential:
    net = (net or models.lenet5()).to(dtype)
    with torch.no_grad():
        for p, array in zip(net.parameters(), arrays):
            p.copy_(torch.from_numpy(np.asarray(array, dtype=np.float64)))
    return net


def _stage_outputs(net: nn.Sequential, x: np.ndarray) -> list[np.ndarray]:
    out, stages = torch.from_numpy(np.asarray(x, dtype=np.float64)), []
    with torch.no_grad():
        for layer in net:
            out = layer(out)
            stages.append(out.numpy())
    return stages


def _alternative(kind: str) -> nn.Sequential:
    """The reference with one classic change, to name what a wrong stage did."""
    net = models.lenet5()
    layers = list(net)
    swap = {"ReLU": nn.ReLU, "Tanh": nn.Tanh}
    if kind in swap:
        layers = [swap[kind]() if isinstance(m, nn.Sigmoid) else m for m in layers]
    elif kind == "MaxPool2d":
        layers = [nn.MaxPool2d(2, 2) if isinstance(m, nn.AvgPool2d) else m for m in layers]
    elif kind == "Softmax":
        layers.append(nn.Softmax(dim=1))
    return nn.Sequential(*layers)


def _judge_stages(case: Case, value: Any) -> Mismatch | None:
    if not (isinstance(value, dict) and isinstance(value.get("stages"), list)):
        return Mismatch(
            Status.WRONG_TYPE,
            f"returned {describe_type(value)}: do not change the given lenet_stages function.",
        )
    problem = _parameter_problem(value.get("parameters"))
    if problem:
        return Mismatch(Status.FAILED, problem)
    arrays = _arrays(value["parameters"])
    assert arrays is not None
    expected = _stage_outputs(_loaded(arrays), case["x"])
    got = value["stages"]
    comparison = ArrayComparison()
    for index, want in enumerate(expected):
        if index >= len(got):
            return Mismatch(Status.FAILED, STAGE_COUNT.format(got=len(got), want=len(expected)))
        mismatch = comparison.compare(want, got[index])
        if mismatch is None:
            continue
        diagnosis = None
        for kind, text in HINTS.items():
            alternative = _stage_outputs(_loaded(arrays, net=_alternative(kind)), case["x"])
            if index < len(alternative) and comparison.equivalent(alternative[index], got[index]):
                diagnosis = STAGE_MATCHES.format(index=index, name=STAGE_NAMES[index], hint=text)
                break
        if mismatch.status is Status.WRONG_SHAPE:
            if index == 0 and isinstance(got[0], np.ndarray) and got[0].shape[-1] == 32:
                diagnosis = PADDED_CONV
            text = STAGE_SHAPE.format(
                index=index, name=STAGE_NAMES[index], got=mismatch.got_shape, want=mismatch.expected_shape
            )
            return Mismatch(
                Status.WRONG_SHAPE,
                text,
                expected_shape=mismatch.expected_shape,
                got_shape=mismatch.got_shape,
                diagnosis=diagnosis,
            )
        text = STAGE_VALUES.format(index=index, name=STAGE_NAMES[index], what=mismatch.message)
        # The stage's arrays, not their printout: the renderer draws the (n, c) slice with the
        # largest error instead of a hundred lines of numbers.
        return replace(
            mismatch,
            message=text,
            expected=None,
            got=None,
            expected_shape=want.shape,
            got_shape=getattr(got[index], "shape", None),
            diagnosis=diagnosis,
            expected_array=want,
            got_array=got[index] if isinstance(got[index], np.ndarray) else None,
            allowed_error=comparison.allowed(want) if mismatch.tolerance else None,
        )
    if len(got) != len(expected):
        softmax = _stage_outputs(_loaded(arrays, net=_alternative("Softmax")), case["x"])[-1]
        extra_softmax = len(got) == len(expected) + 1 and comparison.equivalent(softmax, got[-1])
        return Mismatch(
            Status.FAILED,
            STAGE_COUNT.format(got=len(got), want=len(expected)),
            diagnosis=EXTRA_SOFTMAX if extra_softmax else None,
        )
    output = (value.get("output") or [None])[0]
    mismatch = comparison.compare(expected[-1], output)
    if mismatch is not None:
        return Mismatch(mismatch.status, FORWARD_DIFFERS.format(what=mismatch.message))
    return None


def held_out_accuracy(arrays: list[np.ndarray]) -> float:
    """Accuracy of the reference LeNet carrying these weights on the held-out digits (grading process only)."""
    _, test = digits()
    net = _loaded(arrays, torch.float32).eval()
    with torch.no_grad():
        predicted = net(torch.from_numpy(np.array(test.images))).argmax(dim=1).numpy()
    return float(np.mean(predicted == test.labels))


def _judge_training(case: Case, value: Any) -> Mismatch | None:
    problem = _parameter_problem(value, list(value) if isinstance(value, dict) else None)
    if problem:
        return Mismatch(Status.FAILED, problem)
    arrays = _arrays(value)
    assert arrays is not None
    for name, array in zip(value, arrays):
        if not np.all(np.isfinite(array)):
            return Mismatch(Status.NOT_FINITE, NOT_FINITE_WEIGHTS.format(name=name))
    accuracy = held_out_accuracy(arrays)
    if accuracy < REQUIRED_ACCURACY:
        return Mismatch(Status.FAILED, LOW_ACCURACY.format(accuracy=accuracy, required=REQUIRED_ACCURACY))
    return None


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="parameters: LeNet's layers in order, 61,706 numbers",
            function="lenet_parameters",
            cases=strategies.seed_cases,
            judge=_judge_parameters,
            max_examples=2,
            weight=0.25,
        ),
        Property(
            name="shape and values after every stage match the reference LeNet",
            function="lenet_stages",
            cases=strategies.lenet_stage_cases,
            judge=_judge_stages,
            max_examples=4,
            simplify_arrays=False,
            weight=0.35,
        ),
        Property(
            name=f"trains to {REQUIRED_ACCURACY:.0%} on held-out digits within the time budget",
            function="train_lenet",
            cases=lambda: st.just(Case.of(("seed", 0))),
            judge=_judge_training,
            max_examples=1,
            simplify_arrays=False,
            weight=0.4,
        ),
    )
)

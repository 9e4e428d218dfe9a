"""capstone: the student's own layers, chained into a small CNN and trained in NumPy.

Three properties. The logits of the student's forward pass, against the same network in torch
with the same parameters; the loss and every parameter's gradient, against torch.autograd; and a
training run whose returned parameters must classify the held-out digits, which never leave
this process, with at least 90% accuracy. That last verdict uses the reference forward pass
here, never the student's: the worker sends back only named arrays and the loss history, both
validated as plain data before anything is computed from them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import strategies as st
from torch.nn.grad import conv2d_weight

from tutor.checking import strategies
from tutor.checking.compare import ArrayComparison, Comparison, Mismatch, describe_type, format_value
from tutor.checking.result import Status
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _backward as grad
from tutor.checks import _reference as ref
from tutor.data import digits, training_split

REQUIRED_ACCURACY = 0.90
PARAMETER_SHAPES = {
    "conv1_w": (8, 1, 4, 4),
    "conv1_b": (8,),
    "conv2_w": (16, 8, 3, 3),
    "conv2_b": (16,),
    "fc_w": (10, 256),
    "fc_b": (10,),
}
"""The architecture the statement fixes, as its parameters: 3,874 numbers."""
WHAT = {
    "conv1_w": "conv1's 8 filters of 1×4×4",
    "conv1_b": "conv1's 8 biases",
    "conv2_w": "conv2's 16 filters of 8×3×3",
    "conv2_b": "conv2's 16 biases",
    "fc_w": "the fully connected layer's weights, (outputs, inputs) as torch's nn.Linear",
    "fc_b": "the fully connected layer's 10 biases",
}
BACKWARD_ORDER = ("fc_w", "fc_b", "conv2_w", "conv2_b", "conv1_w", "conv1_b")
"""The order backpropagation reaches the parameters: the first wrong one shows where the chain breaks."""
MAX_LOSS_HISTORY = 100_000
SMALL_LOSS = 0.05
"""A mean loss over the last tenth of the steps this small, from a network that classifies badly:
the steps saw only a few images."""
CURVE_POINTS = 2_000
"""The loss history is drawn from at most this many points (averages of neighbouring steps)."""

# -- the forward pass -----------------------------------------------------------------------------
FLATTENED_HWC = (
    "Your logits match a network that flattens in (H, W, C) order. Flatten the (N, 16, 4, 4) "
    "array as it is, p2.reshape(N, -1): channel by channel, as torch's flatten does."
)
RETURNED_PROBABILITIES = (
    "You return softmax probabilities. Return the logits: softmax_cross_entropy applies the "
    "softmax itself, and the grader takes the argmax of the logits."
)
NO_RELU = (
    "You left out the ReLU after {layer}: every convolution is followed by a ReLU, then the 2×2 max-pool."
)
NO_BIASES = (
    "Your logits match a network without biases: add conv1_b, conv2_b and fc_b (one per output channel)."
)
AVERAGE_POOLING = (
    "Your logits match a network with average pooling: this one uses 2×2 MAX pooling of stride 2."
)
LOGITS_DIFFER = (
    "Every layer here is one of your earlier exercises: if one of them does not pass its own check "
    "(`tutor check conv2d`, `max_pool2d`, `activations`), fix it there first. If they all pass, compare "
    "your forward with the statement's table: conv1's stride 2 and padding 1, conv2's padding 1, the "
    "ReLU before each 2×2 pool, flat = p2.reshape(N, 256), logits = flat @ fc_w.T + fc_b."
)

# -- the gradients --------------------------------------------------------------------------------
GRADIENT_DIFFERS = "gave the wrong gradient for {name} ({what}): {detail}"
LOSS_DIFFERS = "gave the wrong loss: {detail} The loss is softmax_cross_entropy(logits, labels), averaged over the batch."
NOT_LOSS_AND_GRADIENTS = (
    "returned {got}, but (loss, grads) was expected: a float and a dict with one gradient per parameter."
)
GRADIENT_NAMES = "returned gradients named {got}; they must be named as the parameters: {want}."
BROKEN_AT = {
    "fc_w": (
        "The fully connected layer's gradient is already wrong, the first step back: "
        "dfc_w = dlogits.T @ flat, dfc_b = dlogits summed over the batch, with dlogits straight from "
        "softmax_cross_entropy (already divided by N)."
    ),
    "conv2_w": (
        "Your fully connected gradients are right; conv2's are not. Between them: dflat = dlogits @ fc_w, "
        "reshaped to the pooled (N, 16, 4, 4) shape; max_pool2d_backward with the pool's INPUT a2; "
        "relu_backward with the ReLU's input z2; then conv2d_backward with conv2's stride 1 and padding 1."
    ),
    "conv1_w": (
        "Your gradients are right down to conv2; conv1's are not. Between them: the dx of conv2d_backward "
        "for conv2 (the gradient of the first pool's output), max_pool2d_backward with a1, relu_backward "
        "with z1, then conv2d_backward with conv1's stride 2 and padding 1."
    ),
}
BROKEN_AT |= {"fc_b": BROKEN_AT["fc_w"], "conv2_b": BROKEN_AT["conv2_w"], "conv1_b": BROKEN_AT["conv1_w"]}
LAYERS_FIRST = (
    " (Run `tutor check` on conv2d_backward, max_pool2d_backward and relu_backward first: a wrong layer "
    "breaks the chain here too.)"
)
BROKEN_AT = {name: text + LAYERS_FIRST for name, text in BROKEN_AT.items()}
DIVIDED_TWICE = (
    "Your gradients are N times too small: softmax_cross_entropy's dlogits already carries the 1/N of "
    "the mean. Do not divide by the batch size again in the backward pass."
)
NOT_AVERAGED = (
    "Your loss and gradients are N times too large: average the cross-entropy over the batch, as "
    "softmax_cross_entropy does, instead of summing it."
)
CONV1_WITHOUT_STRIDE = (
    "conv1's gradients match conv2d_backward called without conv1's stride 2 and padding 1. A backward "
    "pass takes the same stride and padding as its forward pass: conv2d_backward(dz1, x, conv1_w, 2, 1)."
)

# -- the training run -----------------------------------------------------------------------------
NOT_PARAMS_AND_LOSSES = (
    "returned {got}, but (params, losses) was expected: the dict of trained parameters and a 1-D "
    "array with the loss of every step."
)
NOT_A_DICT = "returned {got} as the parameters; a dict {{name: np.ndarray}} was expected."
WRONG_NAMES = "returned parameters named {got}; the network's are exactly {want}."
NOT_AN_ARRAY = "returned {got} for {name}; every parameter is an np.ndarray of floats."
WRONG_SHAPE = (
    "returned {name} of shape {got}; it is {what}, shape {want}. The statement fixes the "
    "architecture, and the grader loads your parameters into it."
)
WRONG_DTYPE = "returned {name} with dtype {got}; parameters are float arrays (float64 or float32)."
NOT_FINITE = (
    "returned {name} with NaN or infinite values: the training diverged. Lower the learning rate "
    "(Adam with lr=1e-2 works), and check that every gradient is right first (the second property)."
)
BAD_LOSSES = (
    "returned {got} as the loss history; a 1-D np.ndarray of floats was expected, one mini-batch "
    "loss per step, in order (at most {limit:,})."
)
LOW_ACCURACY = (
    "The trained network classifies {accuracy:.1%} of the 300 held-out digits correctly; "
    "{required:.0%} is needed. {why}"
)
DID_NOT_LEARN = (
    "Your loss history went from {first:.3f} to {last:.3f}: the network did not learn. Your gradients "
    "passed (the second property), so look at the update: param − lr · step (a minus sign: down the "
    "gradient), the optimizer's state carried from one step to the next, Adam's t counted from 1, and "
    "that the parameters you return are the ones you updated."
)
LEARNT_BY_HEART = (
    "Your last losses are small ({last:.2g}), yet the network classifies only {train:.1%} of the training "
    "digits: it fits the few images it saw and nothing else. Draw every mini-batch from all of "
    "training_split(), in a new random order every epoch, not the same few images again and again."
)
OVERFITS = (
    "The network classifies {train:.1%} of the training digits but only {accuracy:.1%} of the held-out "
    "ones: it has learnt the training images by heart. Train on all of training_split() with the "
    "statement's architecture and settings (3 epochs of mini-batches of 32)."
)
UNDERTRAINED = (
    "Your loss went from {first:.3f} to {last:.3f} in {steps} steps, and the network classifies "
    "{train:.1%} of the training digits: it learns, but not enough yet. Train longer (the reference: "
    "3 epochs of mini-batches of 32, {reference_steps} steps) or with Adam at lr=1e-2."
)
LOSSES_DO_NOT_MATCH = (
    "The network you return classifies {train:.1%} of the training digits, while your loss history "
    "ends at {last:.2g}: return the parameters you trained, and the losses of that same run."
)


# -- the reference network, in torch ------------------------------------------------------------------
def forward(x: np.ndarray, params: dict[str, np.ndarray], **change: bool) -> np.ndarray:
    """The statement's network in torch (float64), optionally with one classic change."""
    with torch.no_grad():
        return _forward(ref.tensor(x), {k: ref.tensor(v) for k, v in params.items()}, **change).numpy()


def _forward(x: torch.Tensor, p: dict[str, torch.Tensor], **change: bool) -> torch.Tensor:
    def bias(name: str) -> torch.Tensor | None:
        return None if change.get("no_biases") else p[name]

    pool = F.avg_pool2d if change.get("average_pooling") else F.max_pool2d
    z1 = F.conv2d(x, p["conv1_w"], bias("conv1_b"), stride=2, padding=1)
    p1 = pool(z1 if change.get("no_relu1") else F.relu(z1), 2)
    z2 = F.conv2d(p1, p["conv2_w"], bias("conv2_b"), stride=1, padding=1)
    p2 = pool(z2 if change.get("no_relu2") else F.relu(z2), 2)
    flat = (p2.permute(0, 2, 3, 1) if change.get("flatten_hwc") else p2).reshape(len(x), -1)
    logits = F.linear(flat, p["fc_w"], bias("fc_b"))
    return torch.softmax(logits, dim=1) if change.get("probabilities") else logits


@dataclass(frozen=True)
class Logits(ArrayComparison):
    """The logits, compared as any array; a difference no misconception explains gets a pointer to
    the layers the forward pass is made of."""

    def compare(self, expected: Any, got: Any) -> Mismatch | None:
        mismatch = super().compare(expected, got)
        return None if mismatch is None else replace(mismatch, diagnosis=LOGITS_DIFFER)


def _logits(case: Case) -> np.ndarray:
    return forward(case["x"], case["params"])


def _variant(**change: bool):  # noqa: ANN202 - a Misconception's predict
    return lambda case: forward(case["x"], case["params"], **change)


def loss_and_gradients(case: Case, conv1_stride_padding: tuple[int, int] = (2, 1)) -> tuple[float, dict]:
    """The mean cross-entropy and d(loss)/d(parameter) for every parameter, by torch autograd.

    With another `conv1_stride_padding`, conv1's weight gradient is the one conv2d_backward gives
    when it is called with that stride and padding instead of the forward pass's (a misconception)."""
    names = list(PARAMETER_SHAPES)
    labels = torch.as_tensor(np.asarray(case["labels"], dtype=np.int64))
    x = ref.tensor(case["x"])
    with torch.enable_grad():
        leaves = {name: ref.tensor(case["params"][name]).requires_grad_() for name in names}
        z1 = F.conv2d(x, leaves["conv1_w"], leaves["conv1_b"], stride=2, padding=1)
        z1.retain_grad()
        p1 = F.max_pool2d(F.relu(z1), 2)
        p2 = F.max_pool2d(F.relu(F.conv2d(p1, leaves["conv2_w"], leaves["conv2_b"], padding=1)), 2)
        loss = F.cross_entropy(F.linear(p2.reshape(len(x), -1), leaves["fc_w"], leaves["fc_b"]), labels)
        loss.backward()
    grads = {name: leaves[name].grad.numpy() for name in names}  # type: ignore[union-attr]
    if conv1_stride_padding != (2, 1):
        assert z1.grad is not None
        stride, padding = conv1_stride_padding
        kernel = PARAMETER_SHAPES["conv1_w"][2]
        # The windows such a conv2d_backward visits: one per position of dz1, from the padded x's
        # corner; it never reaches the rest of x.
        padded = F.pad(x, (padding,) * 4)
        reach = (z1.shape[2] - 1) * stride + kernel
        grads["conv1_w"] = conv2d_weight(
            padded[:, :, :reach, :reach], PARAMETER_SHAPES["conv1_w"], z1.grad, stride=stride
        ).numpy()
    return float(loss.item()), grads


def _scaled(factor: str):  # noqa: ANN202 - a Misconception's predict: the right answer rescaled by N
    def predict(case: Case) -> tuple[float, dict]:
        loss, grads = loss_and_gradients(case)
        n = len(case["labels"])
        scale = {"N": n, "1/N": 1 / n}[factor]
        return loss * (n if factor == "N" else 1), {name: g * scale for name, g in grads.items()}

    return predict


class LossAndGradients(Comparison):
    """(loss, {name: gradient}), the gradients compared in the order backpropagation reaches them,
    so the first wrong one says where the chain of backward passes breaks."""

    loss = grad.RealNumber(grad.ArrayComparison())

    def compare(self, expected: Any, got: Any) -> Mismatch | None:
        want_loss, want_grads = expected
        if not (isinstance(got, tuple | list) and len(got) == 2):
            return Mismatch(Status.WRONG_TYPE, NOT_LOSS_AND_GRADIENTS.format(got=describe_type(got)))
        got_loss, got_grads = got
        mismatch = self.loss.compare(want_loss, got_loss)
        if mismatch is not None:
            return Mismatch(mismatch.status, LOSS_DIFFERS.format(detail=mismatch.message))
        if not isinstance(got_grads, dict) or set(got_grads) != set(want_grads):
            names = sorted(got_grads) if isinstance(got_grads, dict) else describe_type(got_grads)
            return Mismatch(
                Status.WRONG_TYPE, GRADIENT_NAMES.format(got=names, want=", ".join(PARAMETER_SHAPES))
            )
        for name in BACKWARD_ORDER:
            comparison = grad.Gradient(like=f"d{name} is shaped like {name}, {PARAMETER_SHAPES[name]}")
            mismatch = comparison.compare(want_grads[name], got_grads[name])
            if mismatch is not None:
                return Mismatch(
                    mismatch.status,
                    GRADIENT_DIFFERS.format(name=name, what=WHAT[name], detail=mismatch.message),
                    expected=format_value(want_grads[name]),
                    got=format_value(got_grads[name]),
                    expected_shape=mismatch.expected_shape,
                    got_shape=mismatch.got_shape,
                    diagnosis=BROKEN_AT[name],
                )
        return None


# -- the training run ---------------------------------------------------------------------------------
def parameter_problem(value: Any) -> tuple[Status, str] | None:
    """What is wrong with returned parameters, as plain data, before any number is computed from them."""
    if not isinstance(value, dict):
        return Status.WRONG_TYPE, NOT_A_DICT.format(got=describe_type(value))
    if set(value) != set(PARAMETER_SHAPES):
        got = ", ".join(sorted(map(str, value))) or "nothing"
        return Status.FAILED, WRONG_NAMES.format(got=got, want=", ".join(PARAMETER_SHAPES))
    for name, shape in PARAMETER_SHAPES.items():
        array = value[name]
        if not isinstance(array, np.ndarray):
            return Status.WRONG_TYPE, NOT_AN_ARRAY.format(got=describe_type(array), name=name)
        if array.shape != shape:
            return Status.WRONG_SHAPE, WRONG_SHAPE.format(
                name=name, got=array.shape, want=shape, what=WHAT[name]
            )
        if array.dtype.kind != "f":
            return Status.WRONG_DTYPE, WRONG_DTYPE.format(name=name, got=array.dtype)
        if not np.isfinite(array).all():
            return Status.NOT_FINITE, NOT_FINITE.format(name=name)
    return None


def loss_history(value: Any) -> np.ndarray | None:
    """The returned losses as a 1-D float64 array, or None if they are not one (a list of plain
    numbers is accepted too)."""
    if isinstance(value, list | tuple) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value
    ):
        value = np.array(value, dtype=np.float64)
    if not isinstance(value, np.ndarray) or value.ndim != 1 or value.dtype.kind not in "iuf":
        return None
    if not 0 < value.size <= MAX_LOSS_HISTORY:
        return None
    return value.astype(np.float64)


def accuracy(params: dict[str, np.ndarray], images: np.ndarray, labels: np.ndarray) -> float:
    """The share of `images` the reference network with these (validated) parameters classifies right."""
    predicted = forward(np.asarray(images, dtype=np.float64), params).argmax(axis=1)
    return float(np.mean(predicted == labels))


def held_out_accuracy(params: dict[str, np.ndarray]) -> float:
    """Accuracy on the held-out digits (grading process only: they never reach the worker)."""
    _, test = digits()
    return accuracy(params, test.images, test.labels)


def _reference_steps() -> int:
    return 3 * -(-len(training_split().labels) // 32)


def why_low(params: dict[str, np.ndarray], losses: np.ndarray, held_out: float) -> str:
    """Why a network that passed the first two properties still classifies badly, from its own numbers."""
    train = training_split()
    on_training = accuracy(params, train.images, train.labels)
    tenth = max(1, len(losses) // 10)
    first, last = float(np.mean(losses[:tenth])), float(np.mean(losses[-tenth:]))
    values = {
        "first": first,
        "last": last,
        "train": on_training,
        "accuracy": held_out,
        "steps": len(losses),
        "reference_steps": _reference_steps(),
    }
    if on_training >= 0.98:
        return OVERFITS.format(**values)
    if not np.isfinite(last) or last > 0.9 * first:
        return DID_NOT_LEARN.format(**values)
    # The reference ends near 0.1; far below that, the batches it trained on are known by heart.
    if last < SMALL_LOSS and on_training < 0.8:
        return LEARNT_BY_HEART.format(**values)
    if last < SMALL_LOSS:
        return LOSSES_DO_NOT_MATCH.format(**values)
    return UNDERTRAINED.format(**values)


def _judge_training(case: Case, value: Any) -> Mismatch | None:
    if not (isinstance(value, tuple | list) and len(value) == 2):
        return Mismatch(Status.WRONG_TYPE, NOT_PARAMS_AND_LOSSES.format(got=describe_type(value)))
    params, returned_losses = value
    problem = parameter_problem(params)
    if problem is not None:
        return Mismatch(*problem)
    losses = loss_history(returned_losses)
    if losses is None:
        return Mismatch(
            Status.WRONG_TYPE, BAD_LOSSES.format(got=describe_type(returned_losses), limit=MAX_LOSS_HISTORY)
        )
    held_out = held_out_accuracy(params)
    if held_out < REQUIRED_ACCURACY:
        why = why_low(params, losses, held_out)
        return Mismatch(
            Status.FAILED, LOW_ACCURACY.format(accuracy=held_out, required=REQUIRED_ACCURACY, why=why)
        )
    return None


def loss_curve(value: Any) -> dict[str, list[float]] | None:
    """The returned loss history, to draw (pass or fail): at most CURVE_POINTS finite numbers."""
    losses = loss_history(value[1]) if isinstance(value, tuple | list) and len(value) == 2 else None
    if losses is None:
        return None
    if losses.size > CURVE_POINTS:
        # Averages of equal runs of steps: the curve's shape, with the noise of single batches smoothed.
        edges = np.linspace(0, losses.size, CURVE_POINTS + 1).astype(int)
        losses = np.array([losses[a:b].mean() for a, b in zip(edges[:-1], edges[1:])])
    return {"training loss": np.nan_to_num(losses, nan=0.0, posinf=0.0, neginf=0.0).tolist()}


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="logits match the same network in torch, with your parameters",
            function="cnn_logits",
            cases=lambda: strategies.cnn_cases(PARAMETER_SHAPES),
            expect=_logits,
            comparison=Logits(),
            misconceptions=(
                Misconception(FLATTENED_HWC, _variant(flatten_hwc=True)),
                Misconception(RETURNED_PROBABILITIES, _variant(probabilities=True)),
                Misconception(NO_RELU.format(layer="conv1"), _variant(no_relu1=True)),
                Misconception(NO_RELU.format(layer="conv2"), _variant(no_relu2=True)),
                Misconception(NO_BIASES, _variant(no_biases=True)),
                Misconception(AVERAGE_POOLING, _variant(average_pooling=True)),
            ),
            max_examples=6,
            simplify_arrays=False,
            weight=0.2,
        ),
        Property(
            name="loss and every gradient match torch.autograd",
            function="cnn_loss_and_gradients",
            cases=lambda: strategies.cnn_cases(PARAMETER_SHAPES, with_labels=True),
            expect=loss_and_gradients,
            comparison=LossAndGradients(),
            misconceptions=(
                Misconception(DIVIDED_TWICE, _scaled("1/N")),
                Misconception(NOT_AVERAGED, _scaled("N")),
                Misconception(CONV1_WITHOUT_STRIDE, lambda case: loss_and_gradients(case, (1, 0))),
            ),
            max_examples=6,
            simplify_arrays=False,
            weight=0.3,
        ),
        Property(
            name=f"trains to {REQUIRED_ACCURACY:.0%} on the held-out digits within the time budget",
            function="train_cnn",
            cases=lambda: st.just(Case.of(("seed", 0))),
            judge=_judge_training,
            series=loss_curve,
            max_examples=1,
            simplify_arrays=False,
            weight=0.5,
        ),
    )
)

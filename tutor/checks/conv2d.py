"""conv2d: batched, multi-channel convolution with bias, stride and padding, against F.conv2d."""

from __future__ import annotations

import numpy as np

from tutor.checking import strategies
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _reference as ref

FLIPPED = (
    "You flipped the kernel: that is the mathematical convolution. CNN layers compute "
    "cross-correlation (no flip), exactly like torch.nn.functional.conv2d."
)
NO_BIAS = "You left out the bias: add b[o] to every output pixel of output channel o."
STRIDE_IGNORED = (
    "You ignored the stride: the window should move `stride` pixels per step (and the output shrinks)."
)
PADDING_IGNORED = "You ignored the padding: pad x with zeros on all four sides before sliding the window."
STRIDE_SWAPPED = (
    "You swapped the stride pair: stride=(sh, sw) means sh down the rows (height), sw along a row (width)."
)
PADDING_SWAPPED = "You swapped the padding pair: padding=(ph, pw) pads the height by ph and the width by pw."
KERNEL_TRANSPOSED = (
    "You transposed the kernel: w[o, c, a, b] multiplies x[..., i·s+a, j·s+b], with a along the height."
)
ONE_CHANNEL = "Only the first input channel reached the output: sum over every input channel c as well as over the window."
SAME_FILTER = (
    "Every output channel used the first filter w[0]: output channel o must use its own filter w[o]."
)
LAST_FILTER = (
    "Every output channel used the last filter w[-1]: output channel o must use its own filter w[o] "
    "(a variable left over from an earlier loop over the filters?)."
)
PADDING_DEFAULT = (
    "When padding is not given, your function padded anyway: the default is padding=0 (no padding), "
    "as in the stub's signature and torch.nn.functional.conv2d."
)
EDGE_PADDING = (
    "You padded by repeating the edge pixels; the padding is zeros (np.pad's default mode='constant')."
)
ONE_SIDED_PADDING = "You padded only one side of each axis; padding p adds p zeros before and p after."


ONE_PADDING_BOTH_AXES = (
    "You padded both axes with the same number: padding=(ph, pw) pads the height by ph and the width "
    "by pw, np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))."
)
BIAS_LAST_AXIS = (
    "Your bias was added along the last axis (the width), not the channel axis: b has shape (C_out,), "
    "so reshape it to (1, C_out, 1, 1) (b[None, :, None, None]) before adding, or add b[o] to output channel o."
)


def _bias_last_axis(case: Case) -> np.ndarray | None:
    b = case.get("b")
    if b is None:
        return None
    out = _variant(b=None)(case)
    if out.shape[-1] != b.shape[0]:
        return None  # the student's code would have crashed, not returned
    return out + b


def _expect(case: Case) -> np.ndarray:
    return ref.conv2d(case["x"], case["w"], case.get("b"), case.get("stride", 1), case.get("padding", 0))


def _variant(**change):  # noqa: ANN003, ANN202 - builds the misconception table below
    def predict(case: Case) -> np.ndarray:
        args = {
            "x": case["x"],
            "w": case["w"],
            "b": case.get("b"),
            "stride": case.get("stride", 1),
            "padding": case.get("padding", 0),
        }
        for key, value in change.items():
            args[key] = value(args) if callable(value) else value
        return ref.conv2d(**args)

    return predict


def _swap(value: object) -> tuple[int, int]:
    h, w = ref.pair(value)  # type: ignore[arg-type]
    return (w, h)


def _edge_padded(case: Case) -> np.ndarray:
    ph, pw = ref.pair(case.get("padding", 0))
    x = np.pad(case["x"], ((0, 0), (0, 0), (ph, ph), (pw, pw)), mode="edge")
    return ref.conv2d(x, case["w"], case.get("b"), case.get("stride", 1), 0)


def _one_sided(case: Case) -> np.ndarray:
    ph, pw = ref.pair(case.get("padding", 0))
    x = np.pad(case["x"], ((0, 0), (0, 0), (ph, 0), (pw, 0)))
    return ref.conv2d(x, case["w"], case.get("b"), case.get("stride", 1), 0)


def _padded_with(index: int):  # noqa: ANN202 - np.pad given one of the pair for both axes
    def predict(case: Case) -> np.ndarray | None:
        padding = ref.pair(case.get("padding", 0))
        if padding[0] == padding[1]:
            return None
        out, size = _variant(padding=padding[index])(case), _expect(case).shape
        if out.shape[-2] < size[-2] or out.shape[-1] < size[-1]:
            return None  # too little padding: that student's windows run short and the code crashes
        return out[..., : size[-2], : size[-1]]

    return predict


def _one_channel(case: Case) -> np.ndarray:
    return _variant(x=lambda a: a["x"][:, :1], w=lambda a: a["w"][:, :1])(case)


def _same_filter(case: Case) -> np.ndarray:
    w = np.repeat(case["w"][:1], case["w"].shape[0], axis=0)
    return _variant(w=w)(case)


def _last_filter(case: Case) -> np.ndarray:
    w = np.repeat(case["w"][-1:], case["w"].shape[0], axis=0)
    return _variant(w=w)(case)


def _padded_by_default(case: Case) -> np.ndarray | None:
    if "padding" in case.named():
        return None
    return _variant(padding=1)(case)


def _explicit() -> list[Case]:
    rng = np.random.default_rng(7)
    x = rng.integers(-4, 5, size=(2, 3, 7, 5)).astype(np.float64)
    w = rng.integers(-2, 3, size=(4, 3, 3, 2)).astype(np.float64)
    b = np.array([0.5, -1.0, 2.0, 0.0])
    case = strategies.conv2d_case
    return [
        case(
            x,
            w,
            b,
            stride=(2, 1),
            padding=(1, 0),
            label="distinct N, C, H, W; rectangular kernel; tuple stride and padding",
        ),
        case(x, w, None, stride=2, padding=1, label="int stride and padding, no bias"),
        case(x, w, b, stride=3, padding=2, label="stride that does not divide, padding 2"),
        case(-np.abs(x), w, b, stride=(1, 2), padding=(0, 2), label="negative input with padding"),
        Case.of(("x", x[:1, :2, :4, :4]), ("w", w[:2, :2]), label="defaults: no bias, stride 1, padding 0"),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches torch.nn.functional.conv2d",
            function="conv2d",
            cases=strategies.conv2d_cases,
            expect=_expect,
            misconceptions=(
                Misconception(FLIPPED, _variant(w=lambda a: a["w"][:, :, ::-1, ::-1])),
                Misconception(NO_BIAS, _variant(b=None)),
                Misconception(STRIDE_IGNORED, _variant(stride=1)),
                Misconception(PADDING_IGNORED, _variant(padding=0)),
                Misconception(STRIDE_SWAPPED, _variant(stride=lambda a: _swap(a["stride"]))),
                Misconception(PADDING_SWAPPED, _variant(padding=lambda a: _swap(a["padding"]))),
                Misconception(KERNEL_TRANSPOSED, _variant(w=lambda a: np.swapaxes(a["w"], 2, 3))),
                Misconception(ONE_CHANNEL, _one_channel),
                Misconception(SAME_FILTER, _same_filter),
                Misconception(LAST_FILTER, _last_filter),
                Misconception(PADDING_DEFAULT, _padded_by_default),
                Misconception(EDGE_PADDING, _edge_padded),
                Misconception(ONE_SIDED_PADDING, _one_sided),
                Misconception(BIAS_LAST_AXIS, _bias_last_axis),
                Misconception(ONE_PADDING_BOTH_AXES, _padded_with(0)),
                Misconception(ONE_PADDING_BOTH_AXES, _padded_with(1)),
                Misconception(ref.WINDOW_NOT_STRIDED, ref.first_windows(_variant(stride=1), _expect)),
            ),
            explicit=_explicit,
            explain_shape=ref.explain_output_size(),
            geometry=ref.conv_geometry,
            max_examples=80,
        ),
    )
)

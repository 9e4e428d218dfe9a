"""depthwise_conv2d: one filter per channel, against F.conv2d(groups=C)."""

from __future__ import annotations

import numpy as np

from tutor.checking import strategies
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _reference as ref

SUMMED_CHANNELS = (
    "You summed over the input channels, as a standard convolution does: output channel c got "
    "Σ over every channel of x. In a depthwise convolution channel c of the output sees ONLY channel c "
    "of the input (einsum 'ncab,cab->nc', not 'ncab,cab->n')."
)
FLIPPED = "You flipped the kernel: layers compute cross-correlation, with no flip, exactly like F.conv2d."
NO_BIAS = "You left out the bias: add b[c] to every pixel of output channel c."
STRIDE_IGNORED = (
    "You ignored the stride: the window should move `stride` pixels per step (and the output shrinks)."
)
PADDING_IGNORED = "You ignored the padding: pad x with zeros on all four sides of H and W first."
SAME_FILTER = "Every channel used the first filter w[0]: channel c must use its own filter w[c, 0]."
KERNEL_TRANSPOSED = (
    "You transposed the kernel: w[c, 0, a, b] multiplies x[..., i·s+a, j·s+b], with a along the height."
)
STRIDE_SWAPPED = (
    "You swapped the stride pair: stride=(sh, sw) means sh down the rows (height), sw along a row."
)

CEIL_OUTPUT_SIZE = (
    "Your output has an extra row or column: you rounded (H + 2p − k) / s up. The window must fit inside "
    "the padded image, so H_out = ⌊(H + 2p − k) / s⌋ + 1, rounded DOWN (// in Python)."
)


def _args(case: Case) -> dict:
    return {
        "x": case["x"],
        "w": case["w"],
        "b": case.get("b"),
        "stride": case.get("stride", 1),
        "padding": case.get("padding", 0),
    }


def _expect(case: Case) -> np.ndarray:
    return ref.conv2d(**_args(case), groups=case["x"].shape[1])


def _variant(**change):  # noqa: ANN003, ANN202 - builds the misconception table below
    def predict(case: Case) -> np.ndarray:
        args = _args(case)
        for key, value in change.items():
            args[key] = value(args) if callable(value) else value
        return ref.conv2d(**args, groups=args["x"].shape[1] if args["w"].shape[1] == 1 else 1)

    return predict


def _swap(value: object) -> tuple[int, int]:
    h, w = ref.pair(value)  # type: ignore[arg-type]
    return (w, h)


def _summed(args: dict) -> np.ndarray:
    # A full convolution whose filter o repeats w[o] on every input channel.
    return np.repeat(args["w"], args["x"].shape[1], axis=1)


def _ceil_size(case: Case) -> np.ndarray | None:
    """Rounding the output size up: the last window runs past the padded image, and a sliced
    window sums what is there, as if zeros were padded s − 1 further on the bottom and the right."""
    args = _args(case)
    (sh, sw), (ph, pw) = ref.pair(args["stride"]), ref.pair(args["padding"])
    if sh == sw == 1:
        return None
    x = np.pad(args["x"], ((0, 0), (0, 0), (ph, ph + sh - 1), (pw, pw + sw - 1)))
    return ref.conv2d(x, args["w"], args["b"], args["stride"], 0, groups=x.shape[1])


def _explicit() -> list[Case]:
    rng = np.random.default_rng(11)
    x = rng.integers(-4, 5, size=(2, 3, 7, 5)).astype(np.float64)
    w = rng.integers(-2, 3, size=(3, 1, 3, 2)).astype(np.float64)
    b = np.array([0.5, -1.0, 2.0])
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
        case(
            x[:, :, :6, :6],
            w[:, :, :, :1].repeat(3, axis=3),
            None,
            padding=1,
            label="the statement's example",
        ),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches torch.nn.functional.conv2d(groups=C)",
            function="depthwise_conv2d",
            cases=strategies.depthwise_cases,
            expect=_expect,
            misconceptions=(
                Misconception(SUMMED_CHANNELS, _variant(w=_summed)),
                Misconception(FLIPPED, _variant(w=lambda a: a["w"][:, :, ::-1, ::-1])),
                Misconception(NO_BIAS, _variant(b=None)),
                Misconception(STRIDE_IGNORED, _variant(stride=1)),
                Misconception(PADDING_IGNORED, _variant(padding=0)),
                Misconception(
                    SAME_FILTER, _variant(w=lambda a: np.repeat(a["w"][:1], a["w"].shape[0], axis=0))
                ),
                Misconception(KERNEL_TRANSPOSED, _variant(w=lambda a: np.swapaxes(a["w"], 2, 3))),
                Misconception(STRIDE_SWAPPED, _variant(stride=lambda a: _swap(a["stride"]))),
                Misconception(CEIL_OUTPUT_SIZE, _ceil_size),
                Misconception(ref.WINDOW_NOT_STRIDED, ref.first_windows(_variant(stride=1), _expect)),
            ),
            explicit=_explicit,
            explain_shape=ref.explain_output_size(),
            geometry=ref.conv_geometry,
            max_examples=60,
        ),
    )
)

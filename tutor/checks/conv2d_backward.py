"""conv2d_backward: (dx, dw, db) against torch autograd through F.conv2d."""

from __future__ import annotations

import numpy as np
import torch.nn.functional as F

from tutor.checking import strategies
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property
from tutor.checks import _backward as grad
from tutor.checks import _reference as ref

DB_NOT_SUMMED = (
    "Your db is not summed over the batch. b[o] is added at every position of EVERY image, so its "
    "gradient collects all of them: db = dout.sum(axis=(0, 2, 3)), shape (C_out,)."
)
AVERAGED = (
    "You divided dw or db by the batch size. Any averaging of the loss is already inside dout: "
    "the gradients of shared parameters are plain sums over the batch."
)
NO_DILATION = (
    "Your dx ignores the stride: with stride s the output pixels sit s input pixels apart, so before the "
    "full convolution with the flipped kernel, dout needs s − 1 zeros between its pixels (dilation). "
    "Or scatter: dx_pad[n, :, i·s : i·s+kh, j·s : j·s+kw] += Σ_o dout[n, o, i, j] · w[o]."
)
DW_UNPADDED = (
    "Your dw pairs dout with the unpadded x: output pixel (i, j) saw the PADDED input, "
    "x_pad[n, c, i·s + a, j·s + b] = x[n, c, i·s + a − p, j·s + b − p]. Pad x first and take dw's windows from x_pad."
)
PADDED_BORDER = (
    "Your dx kept the padded border: you returned the gradient of x_pad. The padding zeros are not inputs; "
    "crop them off, dx = dx_pad[:, :, ph : ph + H, pw : pw + W], so dx has the shape of x."
)
OVERWRITTEN = (
    "Your dx overwrites where windows overlap (dx_pad[..., window] = ...). An input pixel inside several "
    "windows feeds several outputs, and its gradient is the SUM of what they send back: use +=."
)
WINDOWS_NOT_STRIDED = (
    "Your windows start at (i, j) instead of (i·sh, j·sw): output pixel (i, j) came from "
    "x_pad[..., i·sh : i·sh + kh, j·sw : j·sw + kw], so dout[..., i, j] goes back to that window "
    "(for dx), and dw pairs it with that same window of x_pad."
)
NOT_FLIPPED = (
    "Your dx used the kernel unflipped. Sending dout back is a FULL convolution with the kernel rotated by "
    "180° (w[:, :, ::-1, ::-1]), with the roles of C_in and C_out swapped; or scatter dout · w into the "
    "windows, which needs no flip."
)


def _args(case: Case) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, int], tuple[int, int]]:
    return (
        case["dout"],
        case["x"],
        case["w"],
        ref.pair(case.get("stride", 1)),
        ref.pair(case.get("padding", 0)),
    )


def _expect(case: Case) -> tuple[np.ndarray, ...]:
    dout, x, w, stride, padding = _args(case)
    bias = np.zeros(w.shape[0])
    return grad.gradients(
        lambda x, w, b: F.conv2d(x, w, b, stride=stride, padding=padding), [x, w, bias], dout
    )


def _with(dx=None, dw=None, db=None):  # noqa: ANN001, ANN202 - the right answer with one gradient changed
    def predict(case: Case) -> tuple:
        right = _expect(case)
        return tuple(right[i] if f is None else f(case) for i, f in enumerate((dx, dw, db)))

    return predict


def _padded(x: np.ndarray, before: tuple[int, int], after: tuple[int, int]) -> np.ndarray:
    return np.pad(x, ((0, 0), (0, 0), (before[0], after[0]), (before[1], after[1])))


def _dx_undilated(case: Case) -> np.ndarray:
    # A full convolution of dout (no zeros inserted) with the flipped kernel, then the padding cropped.
    dout, x, w, _, (ph, pw) = _args(case)
    full = F.conv_transpose2d(ref.tensor(dout), ref.tensor(w)).numpy()
    return full[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]]


def _dw_unpadded(case: Case) -> np.ndarray:
    # Windows read from x at (i·s + a, j·s + b), without the padding's offset; beyond x counts as 0.
    dout, x, w, stride, (ph, pw) = _args(case)
    extended = _padded(x, (0, 0), (2 * ph, 2 * pw))
    return grad.gradients(lambda x, w: F.conv2d(x, w, stride=stride), [extended, w], dout)[1]


def _dx_padded(case: Case) -> np.ndarray:
    dout, x, w, stride, padding = _args(case)
    return grad.gradients(
        lambda x: F.conv2d(x, ref.tensor(w), stride=stride), [_padded(x, padding, padding)], dout
    )[0]


def _dx_negative_crop(case: Case) -> np.ndarray | None:
    dout, x, w, stride, padding = _args(case)
    dx_pad = grad.gradients(
        lambda x: F.conv2d(x, ref.tensor(w), stride=stride), [_padded(x, padding, padding)], dout
    )[0]
    return grad.cropped_with_negative_ends(dx_pad, padding)


def _dx_overwritten(case: Case) -> np.ndarray:
    # Windows visited row by row, each one assigning (=) its share: the last window wins.
    dout, x, w, (sh, sw), (ph, pw) = _args(case)
    kh, kw = w.shape[2:]
    dx_pad = np.zeros(_padded(x, (ph, pw), (ph, pw)).shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            share = np.einsum("no,ocab->ncab", dout[:, :, i, j], w)
            dx_pad[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw] = share
    return dx_pad[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]]


def _first_windows(case: Case) -> tuple[np.ndarray, ...] | None:
    # The forward pass a student's loops describe: stride-1 windows, as many as the strided output has.
    dout, x, w, stride, padding = _args(case)
    if stride == (1, 1):
        return None
    h, wd = dout.shape[2:]
    bias = np.zeros(w.shape[0])
    return grad.gradients(
        lambda x, w, b: F.conv2d(x, w, b, padding=padding)[:, :, :h, :wd], [x, w, bias], dout
    )


def _dx_unflipped(case: Case) -> np.ndarray:
    dout, x, w, stride, padding = _args(case)
    flipped = ref.tensor(w[:, :, ::-1, ::-1])
    return grad.gradients(lambda x: F.conv2d(x, flipped, stride=stride, padding=padding), [x], dout)[0]


def _explicit() -> list[Case]:
    rng = np.random.default_rng(17)
    x = rng.integers(-4, 5, size=(2, 3, 7, 5)).astype(np.float64)
    w = rng.integers(-2, 3, size=(4, 3, 3, 2)).astype(np.float64)

    def case(stride, padding, label):  # noqa: ANN001, ANN202
        out = ref.conv2d(x, w, None, stride, padding)
        dout = rng.integers(-3, 4, size=out.shape) / 2
        return Case.of(("dout", dout), ("x", x), ("w", w), stride=stride, padding=padding, label=label)

    return [
        case((2, 1), (1, 0), "distinct N, C, H, W; rectangular kernel; tuple stride and padding"),
        case(2, 1, "int stride and padding"),
        case(3, 2, "stride that does not divide, padding 2"),
        Case.of(
            ("dout", np.ones((1, 1, 2, 2))),
            ("x", np.arange(9.0).reshape(1, 1, 3, 3)),
            ("w", np.array([[[[1.0, 2.0], [3.0, 4.0]]]])),
            label="the statement's example: defaults, stride 1 and no padding",
        ),
    ]


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches torch autograd through F.conv2d",
            function="conv2d_backward",
            cases=strategies.conv2d_backward_cases,
            expect=_expect,
            comparison=grad.outputs(
                dx=grad.Gradient(like="dx is shaped like x"),
                dw=grad.Gradient(like="dw is shaped like w"),
                db=grad.Gradient(like="db is shaped like the bias, (C_out,)"),
            ),
            misconceptions=(
                Misconception(DB_NOT_SUMMED, _with(db=lambda c: c["dout"].sum(axis=(2, 3)))),
                Misconception(DB_NOT_SUMMED, _with(db=lambda c: c["dout"].mean(axis=0).sum(axis=(1, 2)))),
                Misconception(DB_NOT_SUMMED, _with(db=lambda c: c["dout"][0].sum(axis=(1, 2)))),
                Misconception(DB_NOT_SUMMED, _with(db=lambda c: c["dout"].sum(axis=0))),
                Misconception(
                    AVERAGED,
                    _with(dw=lambda c: _expect(c)[1] / len(c["x"]), db=lambda c: _expect(c)[2] / len(c["x"])),
                ),
                Misconception(NO_DILATION, _with(dx=_dx_undilated)),
                Misconception(DW_UNPADDED, _with(dw=_dw_unpadded)),
                Misconception(PADDED_BORDER, _with(dx=_dx_padded)),
                Misconception(NOT_FLIPPED, _with(dx=_dx_unflipped)),
                Misconception(OVERWRITTEN, _with(dx=_dx_overwritten)),
                Misconception(WINDOWS_NOT_STRIDED, _first_windows),
                Misconception(grad.NEGATIVE_CROP, _with(dx=_dx_negative_crop)),
            ),
            explicit=_explicit,
            max_examples=80,
        ),
    )
)

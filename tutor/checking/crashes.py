"""Crashes whose cause is clear from the error, the failing line and the input: named in words.

Each rule looks at plain data only (the error's type and message, the failing line of the
student's code, the case's geometry) and returns one sentence, or None when it cannot tell.
"""

from __future__ import annotations

import re
from typing import Any

from tutor.checking import output_size

FLOAT_SIZE = (
    "A size or an index came out as a float. In Python 3, `/` is true division (7 / 2 == 3.5, and "
    "even 8 / 2 == 4.0 is a float): compute output sizes with `//`, "
    "e.g. H_out = (H + 2*p - kh) // s + 1."
)
STRIDE_MUST_DIVIDE = (
    "Your code stops when the stride does not divide the padded size ({detail}), but the statement "
    "asks for the floor then: H_out = ⌊(n + 2p − f) / s⌋ + 1, and the last rows or columns that no "
    "window reaches are skipped (as in PyTorch). Remove that check."
)
BIAS_SHAPE = (
    "Adding the bias failed on shapes: b has shape (C_out,), which lines up with the last axis, "
    "not the channel axis. Reshape it to (1, C_out, 1, 1), e.g. b[None, :, None, None] or "
    "b.reshape(1, -1, 1, 1), or add b[o] to output channel o."
)
WINDOW_PAST_EDGE = (
    "A window ran past the edge of the padded input: on this input your output size is larger than "
    "⌊(n + 2p − f) / s⌋ + 1 (round() or ceil instead of `//`?). Round the output size down."
)

CONCATENATE_SIZES = (
    "The arrays you concatenated differ in size along another axis: every branch must keep the same "
    "N, H and W (check each branch's padding and stride) so that they stack along the channel axis."
)

NEGATIVE_SIZE = (
    "An array size came out negative, so NumPy could not create it: on this input an output size "
    "⌊(n + 2p − f) / s⌋ + 1 is below zero, the kernel being larger than the padded input. That "
    "happens when a layer gets less padding than the statement gives it (or none): check the "
    "padding you pass to each convolution or pooling."
)
BRANCHES_DIFFER = (
    "The main branch and the shortcut have different shapes, so they cannot be added: both must be "
    "(N, C_out, H_out, W_out). Check that each 3×3 convolution has padding 1 (it keeps the size), "
    "that the stride is applied once in the main branch and also in the projection, and that the "
    "projection is used whenever the channels or the size change."
)
REDUCED_WRONG_AXES = (
    "The result of your reduction does not fit where you stored it: you reduced over other axes "
    "than the window's. A window cut from (N, C, H, W) is (N, C, kh, kw): reduce over axis=(2, 3), "
    "so that one value per image and channel remains."
)
EMPTY_WINDOW = (
    "A window came out empty, with nothing to reduce: on this input the kernel is 1 {unit} {extent} "
    "(k{axis} = 1), so your window slice is shorter than the kernel (one short, like top:top + k{axis} − 1) "
    "or starts past the edge of the padded input. A window is k{axis} {unit}s from where it starts: "
    "xp[:, :, top:top + kh, left:left + kw], with top = i·sh and left = j·sw on the padded input."
)
OUTPUT_CHANNELS_FROM_C_IN = (
    "Your output array has {channels}, C_in = w.shape[1], but a convolution gives one channel per filter: "
    "C_out = w.shape[0] = {c_out}. The weights are (C_out, C_in, kh, kw): allocate the output with w.shape[0]."
)
PADDED_EVERY_AXIS = (
    "Your windows hold {n_padded} images where x has {n}: np.pad(x, {p}) pads EVERY axis, the batch and "
    "channel axes too (N + 2p = {n_padded}). Pad only the height and the width: "
    "np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))."
)

_FLOAT_AS_INT = re.compile(
    r"'(numpy\.)?float(64|32)?' object cannot be interpreted as an integer"
    r"|slice indices must be integers"
    r"|only integers, slices"
    r"|expected a sequence of integers"
    r"|must be an integer, not float"
    r"|cannot be interpreted as an integer"
)
_STORED_SHAPES = re.compile(r"from shape \(([\d, ]*)\) into shape \(([\d, ]*)\)")
_BROADCAST = re.compile(r"could not be broadcast|could not broadcast")
_SHORTCUT = re.compile(r"\b(shortcut|identity|skip|residual|sc)\b|\+\s*x\b|\bx\s*\+")
_REDUCTION = re.compile(r"\b(max|mean|sum|min|average)\s*\([^()]*axis\s*=|\.(max|mean|sum|min)\(\s*axis")
_BIAS = re.compile(r"\b(b|bias|biases|b_\w+|\w+_b)\b")


def _line(error: dict) -> str:
    frames = error.get("frames") or []
    return str(frames[-1].get("code", "")) if frames else ""


def _not_dividing(g: Any) -> str | None:
    parts = []
    for axis, name in enumerate(("height", "width")):
        n, f, s, p = g.n[axis], g.f[axis], g.s[axis], g.p[axis]
        if (n + 2 * p - f) % s:
            parts.append(f"{name}: n + 2p − f = {n + 2 * p - f}, s = {s}")
    return "; ".join(parts) or None


def _stored_shapes(message: str) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """(value's shape, place's shape) of NumPy's 'could not broadcast input array from shape ... into shape ...'."""
    found = _STORED_SHAPES.search(message)
    if found is None:
        return None
    value, place = (tuple(int(v) for v in group.replace(" ", "").split(",") if v) for group in found.groups())
    return value, place


def _padded_every_axis(message: str, case: Any) -> str | None:
    """A value with N + 2p images stored where the output holds N: the batch axis was padded too."""
    shapes = _stored_shapes(message)
    x = case.get("x")
    padding = case.get("padding")
    pads = (padding, padding) if isinstance(padding, int) else padding
    if shapes is None or getattr(x, "ndim", 0) != 4 or not isinstance(pads, tuple | list) or len(pads) != 2:
        return None
    value, place = shapes
    n = x.shape[0]
    for p in sorted({int(v) for v in pads if isinstance(v, int) and v > 0}):
        if len(value) == len(place) and value[0] == n + 2 * p and place[0] == n and value[1:] == place[1:]:
            return PADDED_EVERY_AXIS.format(n=n, n_padded=n + 2 * p, p=p)
    return None


def _channels_from_c_in(message: str, case: Any) -> str | None:
    """A value with C_out channels (one per filter) stored where the output holds C_in: the output
    was allocated from w.shape[1]. Told from the shapes alone: N and C_out in the value, N and C_in
    in the place, C_in ≠ C_out."""
    shapes = _stored_shapes(message)
    x, w = case.get("x"), case.get("w")
    if shapes is None or getattr(x, "ndim", 0) != 4 or getattr(w, "ndim", 0) != 4:
        return None
    value, place = shapes
    n, (c_out, c_in) = x.shape[0], w.shape[:2]
    if c_in != c_out and len(value) == len(place) == 2 and value == (n, c_out) and place == (n, c_in):
        return OUTPUT_CHANNELS_FROM_C_IN.format(channels=f"{c_in} channel{'s' * (c_in != 1)}", c_out=c_out)
    return None


def explain(error: dict, case: Any, geometry: Any = None) -> str | None:
    """One sentence naming the cause of the crash, or None."""
    kind = str(error.get("type", ""))
    message = str(error.get("message", ""))
    line = _line(error)
    g = None
    if geometry is not None:
        try:
            g = geometry(case)
        except Exception:  # a case the geometry does not describe
            g = None
    if kind == "TypeError" and _FLOAT_AS_INT.search(message):
        return FLOAT_SIZE
    if kind == "ValueError" and "except for the concatenation axis must match" in message:
        return CONCATENATE_SIZES
    if g is not None:
        detail = _not_dividing(g)
        stopped = kind == "AssertionError" or (
            line.lstrip().startswith("raise") and ("%" in line or "divid" in (line + message).lower())
        )
        if detail and stopped:
            return STRIDE_MUST_DIVIDE.format(detail=detail)
    if kind == "ValueError" and "negative dimensions are not allowed" in message:
        return NEGATIVE_SIZE
    broadcast = kind == "ValueError" and (_BROADCAST.search(message) or "non-broadcastable" in message)
    if broadcast and "+" in line and _SHORTCUT.search(line) and not _BIAS.search(line):
        return BRANCHES_DIFFER
    stored = kind == "ValueError" and (
        "could not broadcast input array" in message or "non-broadcastable" in message
    )
    if stored and "=" in line and _REDUCTION.search(line):
        return REDUCED_WRONG_AXES
    sentence = _channels_from_c_in(message, case) or _padded_every_axis(message, case)
    if kind == "ValueError" and sentence is not None:
        return sentence
    adds_bias = "+" in line and _BIAS.search(line) and (case.get("b") is not None or "bias" in line)
    if kind == "ValueError" and _BROADCAST.search(message) and adds_bias:
        return BIAS_SHAPE
    if kind == "ValueError" and "zero-size array to reduction" in message and g is not None:
        for axis, unit, extent in ((0, "row", "tall"), (1, "column", "wide")):
            if g.f[axis] == 1 and not output_size.would_differ(g, output_size.CEIL):
                return EMPTY_WINDOW.format(unit=unit, extent=extent, axis="hw"[axis])
    rounded_up = g is not None and (
        output_size.would_differ(g, output_size.ROUND) or output_size.would_differ(g, output_size.CEIL)
    )
    if kind in ("ValueError", "IndexError") and rounded_up:
        return WINDOW_PAST_EDGE
    return None

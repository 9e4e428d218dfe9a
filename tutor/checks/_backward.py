"""Shared pieces of the backward-pass checks: gradients by torch autograd, the comparisons of
their results (a gradient array, a real number, and a tuple of them such as (dx, dw, db) or
(loss, dlogits), built on _tuples.TupleComparison), and pooling's backward pass by hand.

References are never written down: each one runs the layer's forward pass in float64 with
`requires_grad` and asks autograd for the gradients of Σ dout · forward(...).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import torch

from tutor.checking.compare import ArrayComparison, Comparison, Mismatch, describe_type, format_value
from tutor.checking.result import Status
from tutor.checks import _reference as ref
from tutor.checks._tuples import TupleComparison


def gradients(
    forward: Callable[..., torch.Tensor], inputs: Sequence[np.ndarray], dout: np.ndarray | None = None
) -> tuple[np.ndarray, ...]:
    """d(Σ dout · forward(*inputs)) / d(input) for every input, by torch autograd in float64.

    With dout None, forward must return a scalar (a loss), whose gradient is taken directly.
    An input the output does not depend on gets a gradient of zeros.
    """
    with torch.enable_grad():
        leaves = [ref.tensor(array).requires_grad_() for array in inputs]
        out = forward(*leaves)
        out.backward(None if dout is None else ref.tensor(dout))
    return tuple(
        np.zeros(np.shape(array)) if leaf.grad is None else leaf.grad.numpy()
        for leaf, array in zip(leaves, inputs)
    )


def _as_scalar_array(value: Any) -> np.ndarray | None:
    """A real number however it was spelled (float, np.float64, 0-d array) as a 0-d float array.

    Any one-element array counts: the wire currently delivers a 0-d array as shape (1,)
    (np.ascontiguousarray makes it 1-d), so the two cannot be told apart here."""
    if isinstance(value, np.ndarray) and value.size == 1 and value.ndim <= 1 and value.dtype.kind in "iuf":
        return value.reshape(()).astype(np.float64)
    if isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_):
        return np.asarray(float(value))
    return None


@dataclass(frozen=True)
class Gradient(ArrayComparison):
    """An array compared as ArrayComparison does; a wrong shape is explained by what it is the
    gradient of, e.g. like="x" for dx."""

    like: str = ""

    def compare(self, expected: Any, got: Any) -> Mismatch | None:
        mismatch = super().compare(expected, got)
        if mismatch is not None and mismatch.status is Status.WRONG_SHAPE and self.like:
            rule = f" A gradient has the shape of what it is the gradient of: {self.like}."
            return replace(mismatch, message=mismatch.message + rule)
        return mismatch


@dataclass(frozen=True)
class RealNumber(Comparison):
    """One real number (a Python float, a NumPy scalar or a 0-d array), e.g. a loss."""

    values: ArrayComparison = field(default_factory=ArrayComparison)

    def compare(self, expected: Any, got: Any) -> Mismatch | None:
        number = _as_scalar_array(got)
        if number is None:
            return Mismatch(
                Status.WRONG_TYPE,
                f"returned a {describe_type(got)}, but one real number (a float) was expected.",
                expected=format_value(float(expected)),
                got=format_value(got),
            )
        mismatch = self.values.compare(np.asarray(expected, dtype=np.float64), number)
        if mismatch is None:
            return None
        return replace(mismatch, message=mismatch.message.replace(" at index ()", ""))  # no index to show


def outputs(**items: Comparison) -> TupleComparison:
    """The comparison of a tuple of named results, e.g. outputs(dx=Gradient(like="x"), ...)."""
    return TupleComparison(tuple(items), tuple(items.values()))


NEGATIVE_CROP = (
    "Your dx is cropped with negative ends, dx_pad[:, :, p:-p, ...]: when p = 0 that slice is empty "
    "(-0 is 0, so it stops before it starts). Crop with explicit ends, "
    "dx = dx_pad[:, :, ph : ph + H, pw : pw + W]."
)


def cropped_with_negative_ends(dx_pad: np.ndarray, padding: Any) -> np.ndarray | None:
    """dx_pad[:, :, ph:-ph, pw:-pw] as NumPy runs it: empty along an axis whose padding is 0."""
    ph, pw = ref.pair(padding)
    if ph and pw:
        return None  # then the slice is right
    return dx_pad[:, :, ph:-ph, pw:-pw]


def pool_backward_by_hand(
    dout: np.ndarray,
    x: np.ndarray,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    *,
    share: Callable[[np.ndarray, np.ndarray], np.ndarray],
    fill: float = 0.0,
    write: str = "add",
    crop: bool = True,
) -> np.ndarray:
    """A pooling layer's backward pass window by window, to model the classic mistakes.

    `share(window, g)` is what one window sends back to its kh×kw inputs, given the window of the
    padded x (N, C, kh, kw) and g = dout[:, :, i, j] (N, C). `write` says how it lands in dx_pad:
    "add" (right: overlapping windows add up), "window" (dx_pad[window] = share, overwriting
    earlier windows) or "point" (only the cells the share touches are overwritten).
    """
    kh, kw = ref.pair(kernel_size)
    sh, sw = ref.pair(kernel_size if stride is None else stride)
    ph, pw = ref.pair(padding)
    padded = np.pad(
        np.asarray(x, dtype=np.float64), ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill
    )
    dx = np.zeros(padded.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * sh, i * sh + kh), slice(j * sw, j * sw + kw)
            part = share(padded[:, :, rows, cols], dout[:, :, i, j])
            if write == "add":
                dx[:, :, rows, cols] += part
            elif write == "window":
                dx[:, :, rows, cols] = part
            else:
                dx[:, :, rows, cols] = np.where(part != 0, part, dx[:, :, rows, cols])
    return dx[:, :, ph : ph + x.shape[2], pw : pw + x.shape[3]] if crop else dx

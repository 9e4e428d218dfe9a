"""Small PyTorch helpers shared by the checks. References always run in float64."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F


def tensor(array: Any) -> torch.Tensor:
    # Copy into a contiguous buffer: torch refuses the negative strides of views like k[::-1].
    return torch.as_tensor(np.ascontiguousarray(array, dtype=np.float64))


def pair(value: int | tuple[int, int]) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))


def conv2d(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None = None,
    stride: Any = 1,
    padding: Any = 0,
    groups: int = 1,
) -> np.ndarray:
    bias = None if b is None else tensor(b)
    with torch.no_grad():
        out = F.conv2d(tensor(x), tensor(w), bias, stride=pair(stride), padding=pair(padding), groups=groups)
    return out.numpy()


WINDOW_NOT_STRIDED = (
    "Your output has the right size, but your windows move one pixel per step: output (i, j) must "
    "read the window that starts at row i·sh and column j·sw of the padded input, "
    "x_pad[..., i*sh : i*sh + kh, j*sw : j*sw + kw]. You used the stride in the output size only."
)


def first_windows(with_stride_one: Any, right_stride: Any, stride_of: Any = None) -> Any:
    """A student who uses the stride in the output size but starts window (i, j) at (i, j): the
    stride-1 output, cut to the strided output's size. Takes two predictions of the same case
    (and, for pooling, where the stride defaults to the kernel size, how to read the stride)."""

    def predict(case: Any) -> np.ndarray | None:
        stride = stride_of(case) if stride_of else case.get("stride", 1) or 1
        if pair(stride) == (1, 1):
            return None
        full, size = with_stride_one(case), np.shape(right_stride(case))
        if full.shape[-2] < size[-2] or full.shape[-1] < size[-1]:
            return None
        return full[..., : size[-2], : size[-1]]

    return predict


def explain_output_size(axis_names: tuple[str, str] = ("height", "width")) -> Any:
    """A shape explainer for properties whose output is (..., H_out, W_out) of a convolution."""

    def explain(case: Any, expected: tuple, got: tuple) -> str:
        if len(expected) != len(got) or len(expected) < 2:
            return f"The output should have {len(expected)} dimensions."
        k = case.get("w", case.get("k"))
        kernel = k.shape[-2:]
        x = case.get("x")
        sizes = x.shape[-2:]
        stride, padding = pair(case.get("stride", 1) or 1), pair(case.get("padding", 0) or 0)
        notes = []
        for axis, name in enumerate(axis_names):
            want, have = expected[-2 + axis], got[-2 + axis]
            if want != have:
                n, p, f, s = sizes[axis], padding[axis], kernel[axis], stride[axis]
                notes.append(
                    f"{name} {have} vs {want} — check ⌊(n+2p−f)/s⌋+1 with n={n}, p={p}, f={f}, s={s}"
                )
        lead = [f"axis {i}: {g} vs {e}" for i, (e, g) in enumerate(zip(expected[:-2], got[:-2])) if e != g]
        return "; ".join(lead + notes) + "." if lead or notes else ""

    return explain


def conv_geometry(case: Any) -> Any:
    """The output-size geometry of a convolution case (x, w or k, stride, padding)."""
    from tutor.checking.output_size import Geometry

    k = case.get("w", case.get("k"))
    x = case.get("x")
    return Geometry(
        n=tuple(int(v) for v in x.shape[-2:]),  # type: ignore[arg-type]
        f=tuple(int(v) for v in k.shape[-2:]),  # type: ignore[arg-type]
        s=pair(case.get("stride", 1) or 1),
        p=pair(case.get("padding", 0) or 0),
    )

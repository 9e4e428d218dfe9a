"""The reproduce snippet: Python source that runs the failing call exactly as printed.

Every argument that is not a short scalar becomes a variable assigned once (arrays as
`np.array([...], dtype=np....)`, dicts and tuples written out element by element), and the call
uses the names. Lines are wrapped inside brackets, so no line is wider than WIDTH and nothing has
to be cut at 80 columns; non-finite floats are written `np.nan` / `np.inf`, never bare `nan`.
"""

from __future__ import annotations

import math
import pprint
from typing import Any

import numpy as np

WIDTH = 78
"""No line of the snippet is wider than this (a terminal is 80 columns)."""
INLINE = 40
"""A scalar-only argument whose source is at most this long is written in the call itself."""


class _Literal:
    """Something pprint should print as the given source text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _float_source(value: float) -> str:
    if math.isnan(value):
        return "np.nan"
    if math.isinf(value):
        return "np.inf" if value > 0 else "-np.inf"
    return repr(float(value))


def _plain(value: Any) -> Any:
    """An array's tolist() with non-finite floats replaced by literals pprint writes as source."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return _Literal(_float_source(value))
    if isinstance(value, complex):
        return _Literal(repr(value))
    return value


def _dtype_source(dtype: np.dtype) -> str:
    if dtype == np.bool_:
        return "bool"  # np.bool is NumPy 2 only; the builtin works everywhere
    if dtype.kind in "fiuc":
        return f"np.{dtype.name}"
    return repr(dtype.str)


def _array_source(value: np.ndarray, indent: int) -> str:
    dtype = _dtype_source(value.dtype)
    if value.size == 0:
        return f"np.zeros({tuple(value.shape)!r}, dtype={dtype})"
    width = max(WIDTH - indent - len("np.array(") - len(f", dtype={dtype}),"), 20)
    body = pprint.pformat(_plain(value.tolist()), width=width, compact=True)
    pad = " " * (indent + len("np.array("))
    body = body.replace("\n", "\n" + pad)
    return f"np.array({body}, dtype={dtype})"


def is_simple(value: Any) -> bool:
    """A scalar, or a short tuple/list of scalars: written in the call itself."""
    if isinstance(value, (bool, int, float, str, type(None), np.generic)):
        return len(source(value)) <= INLINE
    if isinstance(value, (tuple, list)):
        return (
            all(
                isinstance(v, (bool, int, float, str, type(None), np.generic, tuple, list)) and is_simple(v)
                for v in value
            )
            and len(source(value)) <= INLINE
        )
    return False


def source(value: Any, indent: int = 0, column: int | None = None) -> str:
    """Python source that evaluates to `value` (with `import numpy as np`), to be placed at `column`
    on a line indented by `indent`; nested lines are indented by `indent` + 4."""
    inner = " " * (indent + 4)
    if isinstance(value, np.ndarray):
        return _array_source(value, indent if column is None else column)
    if isinstance(value, np.generic):
        item = value.item()
        return f"np.{type(value).__name__}({repr(item) if isinstance(item, bool) else source(item)})"
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float):
        return _float_source(value)
    if isinstance(value, (int, str, bytes)):
        return repr(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        rows = [
            f"{inner}{k!r}: {source(v, indent + 4, len(inner) + len(repr(k)) + 2)}," for k, v in value.items()
        ]
        return "{\n" + "\n".join(rows) + "\n" + " " * indent + "}"
    if isinstance(value, (tuple, list)):
        opening, closing = ("(", ")") if isinstance(value, tuple) else ("[", "]")
        if not value:
            return opening + closing
        parts = [source(v, indent + 4) for v in value]
        one_line = opening + ", ".join(parts) + ("," if len(value) == 1 and opening == "(" else "") + closing
        if "\n" not in one_line and indent + len(one_line) <= WIDTH - 10:
            return one_line
        rows = [f"{inner}{p}," for p in parts]
        return opening + "\n" + "\n".join(rows) + "\n" + " " * indent + closing
    raise TypeError(f"no Python source for a {type(value).__name__}")


def snippet(
    function: str,
    module: str | None,
    folder: str,
    positional: list[tuple[str, Any]],
    keywords: list[tuple[str, Any]],
) -> tuple[str, str]:
    """(the call, the whole snippet) for `function(*positional, **keywords)` imported from `module`
    (None: a notebook, where the snippet goes in a cell below the function's)."""
    if module is None:
        lines = ["import numpy as np", f"# in a new cell, after the one that defines {function}"]
    else:
        lines = ["import numpy as np", f"# run this inside {folder}/", f"from {module} import {function}"]
    call_args: list[str] = []
    for name, value, keyword in [(n, v, False) for n, v in positional] + [(n, v, True) for n, v in keywords]:
        try:
            if is_simple(value):
                text = source(value)
            else:
                lines.append(f"{name} = {source(value, 0, len(name) + 3)}")
                text = name
        except TypeError:  # not plain data (never drawn by our strategies): say so rather than fail
            lines.append(f"{name} = None  # a {type(value).__name__}: build it as the statement shows")
            text = name
        call_args.append(f"{name}={text}" if keyword else text)
    call = f"{function}({', '.join(call_args)})"
    if len(call) + len("print()") > WIDTH:
        lines.append(f"print({function}(\n" + "".join(f"    {a},\n" for a in call_args) + "))")
    else:
        lines.append(f"print({call})")
    return call, "\n".join(lines)

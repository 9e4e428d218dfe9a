"""The private channel between the grader and the worker: framed JSON plus raw array bytes.

Nothing is ever unpickled. Arrays travel as (dtype string, shape, bytes) and the receiving side
rebuilds them with np.frombuffer after checking the dtype against a whitelist of numeric kinds.
Values the format cannot carry (objects, tensors, generators...) arrive as a tagged description
so the grader can say "you returned a <type>" instead of crashing.

This module is imported by the worker, so it depends on the standard library and NumPy only.
"""

from __future__ import annotations

import json
import math
import os
import struct
from collections.abc import Callable
from typing import Any

import numpy as np

MAX_MESSAGE_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 8
MAX_ITEMS = 10_000
_ARRAY_KINDS = "biufc"
_HEADER = struct.Struct("<II")  # json length, number of buffers


class WireError(Exception):
    """The other side sent something that is not a valid message."""


class ChannelClosed(WireError):
    """The other side went away (end of file on the pipe)."""


def _encode(value: Any, buffers: list[bytes], depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        return {"t": "other", "type": type(value).__name__, "repr": "(nested too deeply)"}
    if value is None:
        return {"t": "none"}
    if isinstance(value, bool | np.bool_):
        return {"t": "bool", "v": bool(value), "np": isinstance(value, np.bool_)}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in _ARRAY_KINDS or value.dtype.itemsize > 16:
            return {"t": "other", "type": f"numpy.ndarray[{value.dtype}]", "repr": _short_repr(value)}
        # Not np.ascontiguousarray: it turns a 0-d array into shape (1,), and shape is part of the verdict.
        data = value if value.flags.c_contiguous else np.array(value, order="C")
        buffers.append(data.tobytes())
        return {"t": "nd", "dtype": data.dtype.str, "shape": list(data.shape), "buf": len(buffers) - 1}
    if isinstance(value, np.generic) and value.dtype.kind in _ARRAY_KINDS:
        return {"t": "npscalar", "dtype": value.dtype.str, "v": _encode_number(value.item())}
    if isinstance(value, int | float | complex) and type(value) in (int, float, complex):
        return {"t": "num", "v": _encode_number(value)}
    if isinstance(value, str) and type(value) is str:
        return {"t": "str", "v": value[:10_000]}
    if type(value) in (list, tuple) and len(value) <= MAX_ITEMS:
        return {"t": type(value).__name__, "items": [_encode(v, buffers, depth + 1) for v in value]}
    if type(value) is dict and len(value) <= MAX_ITEMS and all(type(k) is str for k in value):
        return {"t": "dict", "items": {k: _encode(v, buffers, depth + 1) for k, v in value.items()}}
    return {
        "t": "other",
        "type": f"{type(value).__module__}.{type(value).__qualname__}",
        "repr": _short_repr(value),
    }


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:  # a student's object may have a broken __repr__
        text = "<unprintable>"
    return text[:300]


def _encode_number(v: int | float | complex) -> Any:
    if isinstance(v, complex):
        return {"re": _encode_number(v.real), "im": _encode_number(v.imag)}
    if isinstance(v, float) and not math.isfinite(v):
        return {"special": repr(v)}
    if isinstance(v, int) and abs(v) > 2**63:
        return {"bigint": str(v)}
    return v


def _decode_number(v: Any) -> Any:
    if isinstance(v, dict):
        if "special" in v:
            return float(v["special"])
        if "bigint" in v:
            return int(v["bigint"])
        return complex(_decode_number(v["re"]), _decode_number(v["im"]))
    if isinstance(v, int | float) and not isinstance(v, bool):
        return v
    raise WireError(f"bad number {v!r}")


class Foreign:
    """A value the worker could not send as data: only its type name and a short repr."""

    def __init__(self, type_name: str, text: str) -> None:
        self.type_name = type_name
        self.text = text

    def __repr__(self) -> str:
        return f"<{self.type_name}: {self.text}>"


def _decode(node: Any, buffers: list[bytes], depth: int = 0) -> Any:
    if depth > MAX_DEPTH + 1 or not isinstance(node, dict):
        raise WireError("malformed value")
    tag = node.get("t")
    if tag == "none":
        return None
    if tag == "bool":
        return np.bool_(node["v"]) if node.get("np") else bool(node["v"])
    if tag == "num":
        return _decode_number(node["v"])
    if tag == "str":
        return str(node["v"])
    if tag == "npscalar":
        dtype = _checked_dtype(node["dtype"])
        return dtype.type(_decode_number(node["v"]))
    if tag == "nd":
        dtype = _checked_dtype(node["dtype"])
        shape = tuple(int(s) for s in node["shape"])
        if any(s < 0 for s in shape):
            raise WireError("negative dimension")
        index = int(node["buf"])
        if not 0 <= index < len(buffers):
            raise WireError("array buffer index out of range")
        data = buffers[index]
        count = math.prod(shape)
        if count * dtype.itemsize != len(data):
            raise WireError("array size does not match its shape")
        return np.frombuffer(data, dtype=dtype, count=count).reshape(shape).copy()
    if tag in ("list", "tuple"):
        items = [_decode(v, buffers, depth + 1) for v in node["items"]]
        return items if tag == "list" else tuple(items)
    if tag == "dict":
        return {str(k): _decode(v, buffers, depth + 1) for k, v in node["items"].items()}
    if tag == "other":
        return Foreign(str(node.get("type", "?")), str(node.get("repr", ""))[:300])
    raise WireError(f"unknown tag {tag!r}")


def _checked_dtype(text: Any) -> np.dtype:
    try:
        dtype = np.dtype(str(text))
    except TypeError:
        raise WireError(f"bad dtype {text!r}") from None
    if dtype.kind not in _ARRAY_KINDS or dtype.hasobject or dtype.itemsize > 16:
        raise WireError(f"dtype {dtype} is not allowed on the wire")
    return dtype


def encode_value(value: Any) -> tuple[Any, list[bytes]]:
    buffers: list[bytes] = []
    return _encode(value, buffers), buffers


def decode_value(node: Any, buffers: list[bytes]) -> Any:
    """Rebuild a value; anything malformed (wrong types, bad indices, absurd shapes) is a WireError."""
    try:
        return _decode(node, buffers)
    except WireError:
        raise
    except (
        KeyError,
        IndexError,
        TypeError,
        ValueError,
        AttributeError,
        OverflowError,
        RecursionError,
        MemoryError,
    ) as error:
        raise WireError(f"malformed value ({type(error).__name__})") from None


def send(fd: int, message: dict[str, Any], buffers: list[bytes] = ()) -> None:  # type: ignore[assignment]
    body = json.dumps(message, allow_nan=False).encode()
    parts = [_HEADER.pack(len(body), len(buffers)), body]
    for buffer in buffers:
        parts.append(struct.pack("<Q", len(buffer)))
        parts.append(buffer)
    _write_all(fd, b"".join(parts))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def read_exactly(fd: int, size: int, before_read: Callable[[], None] | None = None) -> bytes:
    chunks = []
    remaining = size
    while remaining:
        if before_read is not None:
            before_read()
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise ChannelClosed("channel closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def receive(fd: int, before_read: Callable[[], None] | None = None) -> tuple[dict[str, Any], list[bytes]]:
    """Read one framed message. Sizes are bounded so a hostile sender cannot exhaust memory.

    `before_read` runs before every read; the grader uses it to enforce a deadline.
    """

    def read(size: int) -> bytes:
        return read_exactly(fd, size, before_read)

    body_size, count = _HEADER.unpack(read(_HEADER.size))
    if body_size > MAX_MESSAGE_BYTES or count > MAX_ITEMS:
        raise WireError("message too large")
    try:
        message = json.loads(read(body_size))
    except (ValueError, RecursionError):  # RecursionError: a hostile sender nesting [[[[...]]]]
        raise WireError("message is not JSON") from None
    if not isinstance(message, dict):
        raise WireError("message is not an object")
    buffers = []
    total = body_size
    for _ in range(count):
        (size,) = struct.unpack("<Q", read(8))
        total += size
        if total > MAX_MESSAGE_BYTES:
            raise WireError("message too large")
        buffers.append(read(size))
    return message, buffers

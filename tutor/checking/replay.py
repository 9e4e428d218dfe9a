"""The examples a passing property drew, kept so the next submission can skip Hypothesis's search.

With a fixed seed, Hypothesis's search depends only on the seed and on each example's outcome.
Every submission that passes every example therefore meets the very same examples, in the same
order, as the first one that passed. Grading a class repeats that search hundreds of times; the
search itself (drawing arrays, bookkeeping) costs the grading process more than the references.

So a passing property's examples are stored, and the next submission is first run on them, in
order. If it passes them all, its verdict is the one the search would have given: passed, on the
same examples. If it fails one, nothing from the replay is used: the full search runs, and shrinks
the failure exactly as before. Either way the grade is the one a search alone gives.

The store decides which inputs a submission meets, so it must be written by the grader only: a
folder the sandboxed code cannot reach. Callers pass a store only when the code runs sandboxed.
Entries are read with an unpickler that builds nothing but plain data, arrays and Cases, so a
corrupt or foreign file is ignored, never run.

A recording also keeps each case's reference value (the grader's own, computed while recording),
so a replay compares with it instead of computing it again: references are deterministic, and a
change to a check's source changes the key. A reference that is not plain data is not kept (the
replay then computes it).
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tutor.checking.spec import Case

FORMAT = 2
"""Bumped whenever what is stored, or how it is keyed, changes."""

MAX_BYTES = 64 * 1024 * 1024
"""Entries larger than this are neither written nor read: a replay must stay cheaper than a search."""

# What an entry may contain: plain data, NumPy arrays and scalars, and Cases.
_ALLOWED = {
    ("builtins", name)
    for name in (
        "tuple",
        "list",
        "dict",
        "set",
        "frozenset",
        "int",
        "float",
        "complex",
        "bool",
        "str",
        "bytes",
        "slice",
    )
} | {
    ("numpy", "dtype"),
    ("numpy", "ndarray"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy._core.numeric", "_frombuffer"),
    ("numpy.core.numeric", "_frombuffer"),
    ("_codecs", "encode"),
}


class _PlainData(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        if (module, name) in _ALLOWED or (module == "numpy.dtypes" and name.endswith("DType")):
            return super().find_class(module, name)
        # Case and its kinds (e.g. strategies.ProbeCase): data classes of ours, from modules the
        # grader has already imported (naming one imports nothing).
        found = getattr(sys.modules.get(module), name, None) if module.startswith("tutor.") else None
        if isinstance(found, type) and issubclass(found, Case):
            return found
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


@dataclass(frozen=True)
class Recording:
    """The cases a passing property was called with, in order, the example count it reported, and
    the reference value of each case when the property has one (None: compute them again)."""

    cases: tuple[Case, ...]
    examples: int
    expected: tuple | None = None


class ReplayStore:
    """A folder of recordings, one file per (exercise, property, search settings, grader source)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def key(self, exercise_id: str, property_name: str, settings: str) -> str:
        """A file name that changes whenever anything that shapes the search does: `settings`
        holds the seed, the example count, the versions and a digest of the checks' source."""
        digest = hashlib.sha256(f"{FORMAT}\0{exercise_id}\0{property_name}\0{settings}".encode())
        return f"{exercise_id}.{digest.hexdigest()[:32]}.replay"

    def load(self, key: str) -> Recording | None:
        """The recording under `key`, or None when there is none or it is not a valid recording."""
        try:
            with open(self.folder / key, "rb", opener=_no_follow) as file:
                data = file.read(MAX_BYTES + 1)
        except OSError:
            return None
        if len(data) > MAX_BYTES:
            return None
        try:
            loaded = _PlainData(io.BytesIO(data)).load()
        except Exception:  # noqa: BLE001 - anything unreadable is simply no recording
            return None
        if not (
            isinstance(loaded, tuple)
            and len(loaded) == 4
            and loaded[0] == FORMAT
            and isinstance(loaded[1], tuple)
            and all(isinstance(case, Case) for case in loaded[1])
            and isinstance(loaded[2], int)
            and (loaded[3] is None or (isinstance(loaded[3], tuple) and len(loaded[3]) == len(loaded[1])))
        ):
            return None
        return Recording(loaded[1], loaded[2], loaded[3])

    def save(self, key: str, recording: Recording) -> None:
        """Write atomically (another grader process may be reading or writing the same key)."""
        data = _dumped(recording)
        if data is None and recording.expected is not None:  # the cases alone, then
            data = _dumped(Recording(recording.cases, recording.examples))
        if data is None:
            return
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".", suffix=".part", dir=self.folder)
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, self.folder / key)
        except OSError:
            return


def _dumped(recording: Recording) -> bytes | None:
    """The entry's bytes, if it can be stored and read back as plain data within MAX_BYTES."""
    try:
        data = pickle.dumps(
            (FORMAT, recording.cases, recording.examples, recording.expected),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        if len(data) > MAX_BYTES:
            return None
        _PlainData(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - what cannot be stored is simply not replayed
        return None
    return data


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NOFOLLOW)

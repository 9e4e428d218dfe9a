"""What a check produces. Every renderer (terminal, --json, grade formats) reads these objects."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """The verdict's category. Only PASSED passes."""

    PASSED = "passed"
    FAILED = "failed"  # values (or a property) disagree with the reference
    ERROR = "error"  # the student's function raised an exception
    TIMEOUT = "timeout"
    MEMORY = "memory"
    CPU = "cpu_limit"
    CRASHED = "crashed"  # killed by a signal, e.g. a segfault
    EXITED = "exited"  # sys.exit / os._exit / SystemExit
    NOT_IMPLEMENTED = "not_implemented"
    FORBIDDEN_IMPORT = "forbidden_import"
    SYNTAX_ERROR = "syntax_error"
    ENCODING_ERROR = "encoding_error"
    EMPTY_FILE = "empty_file"
    MISSING_FILE = "missing_file"
    UNSAFE_FILE = "unsafe_file"  # a link out of the folder, a device or FIFO, or far too large: not read
    MISSING_FUNCTION = "missing_function"
    WRONG_SIGNATURE = "wrong_signature"
    IMPORT_ERROR = "import_error"  # the file raised while being imported
    WRONG_TYPE = "wrong_type"
    WRONG_SHAPE = "wrong_shape"
    WRONG_DTYPE = "wrong_dtype"
    NOT_FINITE = "not_finite"
    MODIFIED_INPUT = "modified_input"
    RETURNED_INPUT = "returned_input"  # the result is (a view of) an input, not a new array
    TAMPERED = "tampered"  # the worker sent something no honest code can make it send


@dataclass(frozen=True)
class Counterexample:
    """The (shrunk) input where the student's code went wrong, and what came out."""

    call: str
    """The call as Python source, e.g. 'conv2d(x, w, stride=(2, 1))'."""
    arguments: dict[str, str]
    """Each argument's name and its printed value (small arrays in full)."""
    reproduce: str
    """A snippet the student can paste into Python to run the same call."""
    expected: str | None = None
    got: str | None = None
    worst_index: str | None = None
    """Index of the element with the largest error, e.g. '(0, 1, 2, 0)'."""
    worst_error: float | None = None
    expected_at_worst: float | None = None
    got_at_worst: float | None = None
    tolerance: str | None = None
    expected_shape: tuple[int, ...] | None = None
    got_shape: tuple[int, ...] | None = None
    expected_values: list | None = None
    """The expected array as nested lists, only when small (see `small_values`), for visual diffs."""
    got_values: list | None = None
    """The student's array as nested lists, only when small."""
    argument_values: dict[str, list] | None = None
    """Each small array argument as nested lists (inputs to draw as pictures)."""
    allowed_error: float | None = None
    """The largest |got − expected| the tolerance accepts, as a number (cells beyond it differ)."""
    allowed_relative_error: float | None = None
    """For an element-wise relative tolerance: a cell differs when |got − expected| >
    allowed_error + allowed_relative_error·|expected| (None: allowed_error alone decides)."""
    shape_explanation: str | None = None
    """When the shapes differ: which size is wrong and the formula to check, in words."""
    reproduce_file: str | None = None
    """Where a long reproduce snippet was also saved, runnable as `python PATH` from anywhere."""
    values_slice: str | None = None
    """When the output is too large to carry whole: which 2-D slice `expected_values` and
    `got_values` hold, the one with the largest error, e.g. 'n=0, c=4' (the shapes stay the
    whole output's)."""


# Arrays up to this many elements travel in a Counterexample as nested lists (JSON-friendly).
SMALL_ARRAY_LIMIT = 1024


def small_values(value: Any, limit: int = SMALL_ARRAY_LIMIT) -> list | None:
    """A small real NumPy array as nested lists, non-finite values spelled 'nan', 'inf', '-inf'.

    None for anything else (big arrays, non-arrays, complex or object arrays), so `to_dict()`
    stays valid JSON.
    """
    import numpy as np

    if (
        not isinstance(value, np.ndarray)
        or not value.ndim
        or value.size > limit
        or value.dtype.kind not in "biuf"
    ):
        return None
    as_float = value.astype(np.float64)
    if np.isfinite(as_float).all():
        return as_float.tolist()
    return np.vectorize(lambda v: repr(float(v)) if not np.isfinite(v) else float(v), otypes=[object])(
        as_float
    ).tolist()


@dataclass(frozen=True)
class PropertyResult:
    """One property of an exercise (e.g. 'matches F.conv2d'), checked over many inputs."""

    name: str
    status: Status
    message: str
    examples: int = 0
    """How many inputs were tried."""
    counterexample: Counterexample | None = None
    diagnosis: str | None = None
    """The misconception this failure matches, if any, in words for the student."""
    weight: float = 1.0
    """Share of the exercise's points this property carries."""
    series: dict[str, list[float]] | None = None
    """Named number series to draw with the verdict (e.g. {'training loss': [...]}), pass or fail."""

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED


@dataclass(frozen=True)
class CheckResult:
    exercise: str
    status: Status
    message: str
    """One clear sentence saying what happened and what to do next."""
    file: str
    properties: tuple[PropertyResult, ...] = ()
    output: str = ""
    """What the student's code printed (truncated)."""
    output_truncated: bool = False
    seconds: float = 0.0
    seed: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    """Extra facts for renderers, e.g. the line of a syntax error."""
    isolation: str = ""
    """How the student's code ran: "sandbox", "none", or "" when it never ran (e.g. a syntax error)."""

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED

    @property
    def score_fraction(self) -> float:
        """Share of the points earned: the weights of the passed properties (0 if the file is broken)."""
        total = sum(p.weight for p in self.properties)
        if self.passed:
            return 1.0
        # A verdict about the whole file (e.g. torch loaded behind the checks' backs) earns nothing,
        # even if every property passed before it was found.
        if not total or self.status in (Status.FORBIDDEN_IMPORT, Status.TAMPERED):
            return 0.0
        return sum(p.weight for p in self.properties if p.passed) / total

    def first_failure(self) -> PropertyResult | None:
        return next((p for p in self.properties if not p.passed), None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["passed"] = self.passed
        data["status"] = str(self.status)
        for prop in data["properties"]:
            prop["status"] = str(prop["status"])
        failure = self.first_failure()
        data["diagnosis"] = failure.diagnosis if failure else None
        data["counterexample"] = (
            asdict(failure.counterexample) if failure and failure.counterexample else None
        )
        return data

"""The vocabulary a check module uses to describe an exercise's check.

A check module `tutor/checks/<id>.py` defines `CHECK = ExerciseCheck(...)`: a list of
properties. Each property draws cases with a Hypothesis strategy, calls one student function
on each case in the worker, and judges the reply in the grading process, usually against a
PyTorch reference. Misconceptions are alternative references: if the student's output matches
what a known bug would produce, the failure message names that bug.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tutor.checking.compare import ArrayComparison, Comparison, Mismatch


@dataclass(frozen=True, eq=False)
class Case:
    """One call of a student function: positional and keyword arguments, each with a name."""

    positional: tuple[tuple[str, Any], ...] = ()
    keywords: tuple[tuple[str, Any], ...] = ()
    label: str = ""
    """Why this case exists, for explicit edge cases, e.g. 'stride that does not divide'."""

    @staticmethod
    def of(*positional: tuple[str, Any], label: str = "", **keywords: Any) -> Case:
        return Case(tuple(positional), tuple(keywords.items()), label)

    def args(self) -> tuple:
        return tuple(value for _, value in self.positional)

    def kwargs(self) -> dict[str, Any]:
        return dict(self.keywords)

    def named(self) -> dict[str, Any]:
        return dict(self.positional) | dict(self.keywords)

    def __getitem__(self, name: str) -> Any:
        return self.named()[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.named().get(name, default)

    def replace(self, name: str, value: Any) -> Case:
        """The same call with one argument changed."""
        return Case(
            tuple((k, value if k == name else v) for k, v in self.positional),
            tuple((k, value if k == name else v) for k, v in self.keywords),
            self.label,
        )

    def __repr__(self) -> str:  # Hypothesis may print it in its own notes
        return f"Case({', '.join(f'{k}=...' for k in self.named())})"


@dataclass(frozen=True)
class Misconception:
    """A classic mistake, recognised by reproducing its output."""

    message: str
    """What the student probably did, and how to fix it. Shown verbatim."""
    predict: Callable[[Case], Any]
    """The output a student with this misconception would return for the case (None if undefined)."""


Judge = Callable[[Case, Any], Mismatch | None]


@dataclass(frozen=True)
class Property:
    """One property checked over many drawn cases."""

    name: str
    """Short, student-readable, e.g. 'matches torch.nn.functional.conv2d'."""
    function: str
    """The student function called on each case."""
    cases: Callable[[], Any]
    """Returns a Hypothesis strategy of Case (built lazily: hypothesis is imported only to check)."""
    expect: Callable[[Case], Any] | None = None
    """The reference value for a case (computed in the grading process, usually with torch)."""
    judge: Judge | None = None
    """Instead of (or after) `expect`: returns a Mismatch when the output breaks the property."""
    comparison: Comparison = field(default_factory=ArrayComparison)
    misconceptions: tuple[Misconception, ...] = ()
    explicit: Callable[[], list[Case]] | None = None
    """Edge cases always tried first (Hypothesis @example)."""
    max_examples: int = 60
    weight: float = 1.0
    """Share of the exercise's points (partial credit in `tutor grade`)."""
    inputs_unchanged: bool = True
    """Fail if the student's function modifies an input array."""
    new_array: bool = False
    """Fail if the result shares memory with an input (the statement promises a new array)."""
    explain_shape: Callable[[Case, tuple, tuple], str] | None = None
    """Turns a shape mismatch into words, e.g. which output-size formula went wrong."""
    geometry: Callable[[Case], Any] | None = None
    """For a sliding-window output: the case's sizes, kernel, stride and padding as an
    output_size.Geometry, so a wrong output size and an output-size crash can be named."""
    not_finite: str | None = None
    """The diagnosis when the output holds inf or nan where the reference is finite and no
    misconception reproduces it exactly (e.g. an exp that overflows, in whatever formula)."""
    simplify_arrays: bool = True
    """After shrinking, zero out array elements that do not matter to the failure (set False
    when zeros would make an input invalid, e.g. probabilities that must sum to one)."""
    series: Callable[[Any], dict[str, list[float]] | None] | None = None
    """Named number series to draw with the verdict, pass or fail, taken from the function's
    returned value (e.g. a training run's loss history). It gets untrusted data: it must return
    None for anything that is not what it expects, and keep the series short."""


@dataclass(frozen=True)
class ExerciseCheck:
    properties: tuple[Property, ...]
    display_names: dict[str, str] = field(default_factory=dict)
    """How the reproduce snippet imports each function, if not `from <id> import <function>`."""

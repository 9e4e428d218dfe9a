"""A tiny course for testing the grader: seven element-wise exercises with fast checks.

The real catalog grows every week; golden files and exact-points tests use this one instead.
Its exercises find their stubs in tests/fake_course/exercises/ and their checks in
tests/fake_course/checks/, through an Exercise subclass (the real catalog code is unchanged).
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

from tutor.catalog import Course, Exercise, load_course

HERE = Path(__file__).resolve().parent
SOLUTIONS = HERE / "solutions"
WRONG = HERE / "wrong"


@dataclasses.dataclass(frozen=True)
class FakeExercise(Exercise):
    def stub_path(self) -> Path:
        return HERE / "exercises" / f"{self.id}.py"

    def statement_path(self) -> Path:
        return HERE / "statements" / f"{self.id}.md"

    def check_module(self) -> str:
        return f"tests.fake_course.checks.{self.id}"


@cache
def fake_course() -> Course:
    real = load_course(HERE / "course.toml")
    exercises = tuple(
        FakeExercise(**{f.name: getattr(e, f.name) for f in dataclasses.fields(e)}) for e in real.exercises
    )
    return dataclasses.replace(real, exercises=exercises)


def install() -> None:
    """Make the tutor CLI of this process use the fake course (for subprocess tests)."""
    import tutor.cli.app

    tutor.cli.app.course = fake_course  # type: ignore[assignment]

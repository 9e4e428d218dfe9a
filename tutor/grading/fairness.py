"""One mistake is charged once: a dependent exercise is graded with the reference of a broken dependency.

residual_block and inception_module import the student's conv2d, inverted_residual their
depthwise_conv2d. The dependency is found in the data, not in a list: an exercise's snapshot
(tutor.checking.submission) holds the sibling modules it imports, and a sibling named like
another exercise of the course is that exercise's file. When that exercise does not earn its full
points on its own, `tutor grade` checks the dependent with the reference solution copied in as
that module, in a private copy of the snapshot (the student's folder is never written), and the
feedback says so. `tutor check` is unchanged: it still tells the student to fix the dependency.

The reference solutions are never shipped in the wheel (students install it). They are read from
$TUTOR_SOLUTIONS, else from the course repository's solutions/ next to a source checkout; without
either, dependents are graded with the student's own module, as `tutor check` does.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from tutor.catalog import Course, Exercise
from tutor.checking.submission import Submission, UnsafeFile, read_regular_file

SOLUTIONS_VARIABLE = "TUTOR_SOLUTIONS"

REFERENCE_USED = (
    "Graded with the reference {dependencies} in place of yours: your {files} does not pass its own "
    "check, and it loses its points there, not twice. `tutor check {exercise}` still uses your own "
    "{dependencies}: fix {them} first."
)


def default_references() -> Path | None:
    """Where the reference solutions are: $TUTOR_SOLUTIONS, else a source checkout's solutions/."""
    chosen = os.environ.get(SOLUTIONS_VARIABLE)
    if chosen:
        return Path(chosen)
    # A source checkout only (pyproject.toml and solutions/ beside the package), never whatever
    # folder named solutions/ happens to sit in an installation's site-packages.
    root = Path(__file__).resolve().parents[2]
    checkout = root / "solutions"
    return checkout if checkout.is_dir() and (root / "pyproject.toml").is_file() else None


def imported_exercises(submission: Submission, course: Course, exercise: Exercise) -> list[Exercise]:
    """The other code exercises of `course` whose file the submission imports (as a sibling module)."""
    by_file = {Path(e.relative_file()).name: e for e in course.exercises if e.is_code and e.id != exercise.id}
    return [by_file[name] for name in sorted(submission.files) if name != submission.main and name in by_file]


def reference_source(references: Path | None, exercise: Exercise) -> bytes | None:
    """The reference solution of `exercise` from the folder `references`, if it is there."""
    if references is None:
        return None
    try:
        return read_regular_file(references / Path(exercise.relative_file()).name, references)
    except (OSError, UnsafeFile):
        return None


def message(exercise: Exercise, dependencies: list[Exercise]) -> str:
    names = [d.id for d in dependencies]
    return REFERENCE_USED.format(
        dependencies=" and ".join(names),
        files=" and ".join(Path(d.relative_file()).name for d in dependencies),
        exercise=exercise.id,
        them="them" if len(names) > 1 else "it",
    )


@contextlib.contextmanager
def staged(submission: Submission, replacements: Mapping[str, bytes]) -> Iterator[Path]:
    """The exercise file's path in a private copy of `submission` with `replacements` (file name →
    bytes) swapped in; the copy is removed afterwards. The folder keeps the original's name, so
    the reproduce snippets read the same."""
    with tempfile.TemporaryDirectory(prefix="tutor-fair-") as base:
        folder = Path(base) / (submission.folder.name or "exercises")
        files = dict(submission.files) | dict(replacements)
        Submission(folder=folder, main=submission.main, files=files).write(folder)
        yield folder / submission.main

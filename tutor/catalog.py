"""The course is data: one TOML catalog, loaded once into frozen dataclasses.

Nothing here imports torch or hypothesis, so every fast command can use it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from tutor.errors import CatalogError, UnknownExercise

FORMAT_VERSION = 1

# Libraries that would do a NumPy exercise for the student. An exercise may allow some by name.
DEFAULT_FORBIDDEN_IMPORTS = ("torch", "tensorflow", "jax", "jaxlib", "scipy.signal", "scipy.ndimage", "keras")


def course_dir() -> Path:
    """The folder holding course.toml, statements/ and lessons/ (inside the installed package)."""
    return Path(str(resources.files("tutor") / "course"))


def stubs_dir() -> Path:
    """Pristine stubs: packed into the wheel, or the repository's own exercises/ in a source checkout."""
    packed = course_dir() / "exercises"
    if packed.is_dir():
        return packed
    return Path(__file__).resolve().parent.parent / "exercises"


@dataclass(frozen=True)
class Session:
    number: int
    """1, 2, 3…: the course's sessions, in order."""
    title: str
    """Shown as a heading in `tutor list`."""


@dataclass(frozen=True)
class Topic:
    id: str
    """Short slug; the lesson lives at lessons/<id>.md."""
    session: int
    """Which session the topic belongs to."""
    title: str
    """Human title, e.g. 'Padding and stride'."""
    references: tuple[str, ...] = ()
    """Citations shown under the lesson, e.g. 'DDL2023 §7.3'."""

    def lesson_path(self) -> Path:
        return course_dir() / "lessons" / f"{self.id}.md"


@dataclass(frozen=True)
class Exercise:
    id: str
    """Unique id; also the stub file name (exercises/<id>.py) and the check module name."""
    title: str
    """One line, shown in tables."""
    topic: str
    """Id of a [[topics]] row."""
    kind: str
    """'code' (a file checked against PyTorch) or 'numeric' (a question answered with `tutor answer`)."""
    points: int
    """Maximum points in `tutor grade`."""
    reference: str
    """Where the idea comes from, e.g. 'Dive into Deep Learning §7.1.3'."""
    hints: tuple[str, ...] = ()
    """Shown one level at a time by `tutor hint`."""
    functions: tuple[str, ...] = ()
    """Names the student's file must define (code exercises)."""
    allowed_imports: tuple[str, ...] = ()
    """What the exercise's code may import beyond the standard library and NumPy: the sandbox mounts
    these libraries (with what they require), entries of the default forbidden list named here are
    allowed (torch for LeNet), and "tutor.data" provides the training digits."""
    call_seconds: float = 0.0
    """Wall time one call needs at least, e.g. 45 for training LeNet (0: the worker's default limit)."""
    session: int = 0
    """Filled in from the topic when loaded."""
    order: int = 0
    """Position in the course (0-based), from the order of rows in the catalog."""

    @property
    def is_code(self) -> bool:
        return self.kind == "code"

    def statement_path(self) -> Path:
        return course_dir() / "statements" / f"{self.id}.md"

    def stub_path(self) -> Path:
        return stubs_dir() / f"{self.id}.py"

    def relative_file(self) -> str:
        """Where the student's file lives, relative to the workspace root."""
        return f"exercises/{self.id}.py"

    def relative_notebook(self) -> str:
        """The session's notebook in a workspace made by `tutor init --notebooks` (tutor/notebook/)."""
        return f"notebooks/session{self.session}.ipynb"

    def check_module(self) -> str:
        return f"tutor.checks.{self.id}"

    def forbidden_imports(self) -> tuple[str, ...]:
        return tuple(m for m in DEFAULT_FORBIDDEN_IMPORTS if m not in self.allowed_imports)


@dataclass(frozen=True)
class Course:
    name: str
    version: str
    sessions: tuple[Session, ...]
    topics: tuple[Topic, ...]
    exercises: tuple[Exercise, ...] = field(repr=False)

    def exercise(self, exercise_id: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise UnknownExercise(exercise_id, [e.id for e in self.exercises])

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)

    def session(self, number: int) -> Session:
        return next(s for s in self.sessions if s.number == number)

    def ids(self) -> list[str]:
        return [e.id for e in self.exercises]

    def code_exercises(self) -> list[Exercise]:
        return [e for e in self.exercises if e.is_code]


def _build(cls: type, row: dict[str, Any], where: str) -> Any:
    known = {f.name for f in fields(cls) if f.name not in ("session", "order") or cls is not Exercise}
    unknown = sorted(set(row) - known)
    if unknown:
        raise CatalogError(
            f"{where}: unknown field(s) {', '.join(unknown)}.",
            f"Allowed fields are: {', '.join(sorted(known))}. Fix the spelling or remove the field.",
        )
    converted = {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}
    try:
        return cls(**converted)
    except TypeError as error:
        raise CatalogError(f"{where}: {error}.", "Every row needs its required fields.") from None


def load_course(path: Path | None = None) -> Course:
    """Parse and validate the catalog. Errors name the file, the row and the fix."""
    path = path or course_dir() / "course.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CatalogError(f"Cannot read the course catalog {path}: {error}.") from None
    if data.get("format_version") != FORMAT_VERSION:
        raise CatalogError(
            f"{path}: format_version is {data.get('format_version')!r}, this tutor reads {FORMAT_VERSION}.",
            "Upgrade cnn-tutor or fix format_version.",
        )
    sessions = tuple(
        _build(Session, row, f"{path} [[sessions]] #{i + 1}")
        for i, row in enumerate(data.get("sessions", []))
    )
    topics = tuple(
        _build(Topic, row, f"{path} [[topics]] {row.get('id', i + 1)}")
        for i, row in enumerate(data.get("topics", []))
    )
    topic_session = {t.id: t.session for t in topics}
    exercises: list[Exercise] = []
    for i, row in enumerate(data.get("exercises", [])):
        where = f"{path} [[exercises]] {row.get('id', f'#{i + 1}')}"
        exercise = _build(Exercise, row, where)
        if exercise.topic not in topic_session:
            raise CatalogError(
                f"{where}: topic {exercise.topic!r} is not a [[topics]] id.", "Add the topic or fix the id."
            )
        if exercise.kind not in ("code", "numeric"):
            raise CatalogError(f"{where}: kind must be 'code' or 'numeric', not {exercise.kind!r}.")
        if exercise.is_code and not exercise.functions:
            raise CatalogError(f"{where}: a code exercise needs `functions = [...]`.")
        object.__setattr__(exercise, "session", topic_session[exercise.topic])
        object.__setattr__(exercise, "order", i)
        exercises.append(exercise)
    ids = [e.id for e in exercises]
    duplicated = sorted({x for x in ids if ids.count(x) > 1})
    if duplicated:
        raise CatalogError(f"{path}: exercise id(s) {', '.join(duplicated)} appear more than once.")
    # Course order is session order first, then catalog order within a session.
    ordered = sorted(exercises, key=lambda e: (e.session, e.order))
    for position, exercise in enumerate(ordered):
        object.__setattr__(exercise, "order", position)
    return Course(
        name=data.get("course", "cnn-tutor"),
        version=str(data.get("version", "0")),
        sessions=sessions,
        topics=topics,
        exercises=tuple(ordered),
    )


@cache
def course() -> Course:
    """The installed course, loaded once per process."""
    return load_course()

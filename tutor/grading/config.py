"""grading.toml: the instructor's assignments and points, for `tutor grade --config FILE`.

    [assignments.hw1]
    title = "Convolution"
    exercises = ["conv_output_size", "corr2d", "conv2d"]   # or sessions = [1]
    due = 2026-12-01T23:59:00Z                            # optional

    [points]          # optional: points per exercise id, over the catalog's
    conv2d = 15

The file is the instructor's (never the student's), read once with tomllib into the frozen
dataclasses below. Anything it names that does not exist (an exercise id, a session, an
assignment, a key) or a value of the wrong type is a ConfigError (exit 2) naming the file, the
line, the field and the fix.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.catalog import Course
from tutor.errors import UsageError

CONFIG_ERROR = "{file}{line}: {problem}"
ASSIGNMENT_KEYS = ("title", "exercises", "sessions", "due")
TOP_KEYS = ("assignments", "points")


class ConfigError(UsageError):
    """grading.toml names something that does not exist, or has a value of the wrong type (exit 2)."""


@dataclass(frozen=True)
class Assignment:
    name: str
    """The key under [assignments], e.g. 'hw1': what --assignment takes and reports name."""
    title: str
    """A title for people, e.g. 'Convolution'."""
    exercises: tuple[str, ...]
    """Exercise ids in course order: `exercises` as listed, or every exercise of `sessions`."""
    due: datetime.datetime | None = None
    """When it is due (a TOML date-time; a local one is taken as UTC), if the file says."""


@dataclass(frozen=True)
class GradingConfig:
    path: Path
    """The file it was read from (for messages)."""
    assignments: dict[str, Assignment] = field(default_factory=dict)
    points: dict[str, float] = field(default_factory=dict)
    """The instructor's points per exercise id; the catalog's for every id not listed."""

    def assignment(self, name: str) -> Assignment:
        """The assignment called `name`; ConfigError naming the known ones when there is none."""
        try:
            return self.assignments[name]
        except KeyError:
            known = ", ".join(sorted(self.assignments)) or "none"
            raise ConfigError(
                f"{self.path} has no assignment {name!r}.",
                f"Its assignments: {known}. Add an assignments.{name} table or choose one of them.",
            ) from None

    def course_for(self, course: Course, name: str | None = None) -> Course:
        """`course` as graded under this file: the points replaced, and only assignment `name`'s
        exercises (all of them when `name` is None), in course order."""
        chosen = set(self.assignment(name).exercises) if name else None
        exercises = tuple(
            # Points are whole in the catalog; an instructor's may be fractional (7.5).
            dataclasses.replace(e, points=self.points.get(e.id, e.points))  # type: ignore[arg-type]
            for e in course.exercises
            if chosen is None or e.id in chosen
        )
        return dataclasses.replace(course, exercises=exercises)


def _line(text: str, pattern: str, after: str | None = None) -> int | None:
    """1-based number of the first line matching `pattern` (after the line matching `after`)."""
    lines = text.splitlines()
    start = 0
    if after is not None:
        start = next((i + 1 for i, line in enumerate(lines) if re.match(after, line.strip())), 0)
    for number in range(start, len(lines)):
        if re.search(pattern, lines[number]):
            return number + 1
    return None


def load_config(path: Path, course: Course) -> GradingConfig:
    """Read grading.toml at `path` against `course`. Raises ConfigError for anything wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            f"Cannot read the grading config {path}: {error}.", "Give the path of grading.toml."
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}.", "Fix the line it names.") from None

    def fail(problem: str, fix: str, line: int | None) -> ConfigError:
        where = f":{line}" if line else ""
        return ConfigError(CONFIG_ERROR.format(file=path, line=where, problem=problem), fix)

    ids = course.ids()
    for key in data:
        if key not in TOP_KEYS:
            raise fail(
                f"unknown table or key {key!r}",
                f"grading.toml has only the tables assignments.NAME and points; remove or rename {key!r}.",
                _line(text, rf"^\s*\[?\s*{re.escape(key)}\b"),
            )
    points: dict[str, float] = {}
    raw_points = data.get("points", {})
    if not isinstance(raw_points, dict):
        raise fail(
            "'points' must be a table",
            "Write a points table with one `exercise_id = N` per line.",
            _line(text, r"^\s*points\b"),
        )
    for exercise_id, value in raw_points.items():
        line = _line(text, rf"^\s*\"?{re.escape(exercise_id)}\"?\s*=", after=r"^\[points\]")
        if exercise_id not in ids:
            raise fail(
                f"points: names {exercise_id!r}, which is not an exercise of {course.name}",
                "Use an id that `tutor list` shows.",
                line,
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value != value:
            raise fail(
                f"points: {exercise_id} = {value!r} is not a number of points",
                f"Write a number ≥ 0, e.g. {exercise_id} = 10.",
                line,
            )
        points[exercise_id] = float(value)
    assignments: dict[str, Assignment] = {}
    raw_assignments = data.get("assignments", {})
    if not isinstance(raw_assignments, dict):
        raise fail(
            "'assignments' must be tables",
            "Write one assignments.NAME table per assignment.",
            _line(text, r"assignments"),
        )
    sessions = {s.number for s in course.sessions}
    for name, table in raw_assignments.items():
        header = rf"^\[assignments\.\"?{re.escape(name)}\"?\]"

        def line_of(key: str, header: str = header) -> int | None:
            return _line(text, rf"^\s*{re.escape(key)}\s*=", after=header)

        head = _line(text, header)
        if not isinstance(table, dict):
            raise fail(
                f"assignments.{name} must be a table",
                f"Write an assignments.{name} table with title and exercises.",
                head,
            )
        for key in table:
            if key not in ASSIGNMENT_KEYS:
                raise fail(
                    f"assignments.{name}: has an unknown field {key!r}",
                    f"Its fields are {', '.join(ASSIGNMENT_KEYS)}; remove or rename {key!r}.",
                    line_of(key) or head,
                )
        title = table.get("title", name)
        if not isinstance(title, str):
            raise fail(f"assignments.{name}: title must be a string", 'Write title = "…".', line_of("title"))
        if ("exercises" in table) == ("sessions" in table):
            raise fail(
                f"assignments.{name}: needs exactly one of exercises and sessions",
                'Write exercises = ["id", …] or sessions = [1, …].',
                head,
            )
        if "exercises" in table:
            listed = table["exercises"]
            if not isinstance(listed, list) or not all(isinstance(i, str) for i in listed) or not listed:
                raise fail(
                    f"assignments.{name}: exercises must be a non-empty list of exercise ids",
                    'Write exercises = ["conv2d", …].',
                    line_of("exercises"),
                )
            for exercise_id in listed:
                if exercise_id not in ids:
                    raise fail(
                        f"assignments.{name}: exercises names {exercise_id!r}, which is not an exercise of {course.name}",
                        "Use an id that `tutor list` shows.",
                        _line(text, rf"[\"']{re.escape(exercise_id)}[\"']", after=header)
                        or line_of("exercises"),
                    )
            chosen = set(listed)
        else:
            listed = table["sessions"]
            if (
                not isinstance(listed, list)
                or not listed
                or not all(isinstance(n, int) and not isinstance(n, bool) for n in listed)
            ):
                raise fail(
                    f"assignments.{name}: sessions must be a non-empty list of session numbers",
                    "Write sessions = [1] (or [1, 2]).",
                    line_of("sessions"),
                )
            for number in listed:
                if number not in sessions:
                    raise fail(
                        f"assignments.{name}: sessions names session {number}, which {course.name} does not have",
                        f"Its sessions: {', '.join(str(s) for s in sorted(sessions))}.",
                        line_of("sessions"),
                    )
            chosen = {e.id for e in course.exercises if e.session in listed}
        due = table.get("due")
        if due is not None:
            due = _due(due)
            if due is None:
                raise fail(
                    f"assignments.{name}: due = {table['due']!r} is not a date-time",
                    "Write a TOML date-time, e.g. due = 2026-12-01T23:59:00Z.",
                    line_of("due"),
                )
        assignments[name] = Assignment(
            name=name,
            title=title,
            exercises=tuple(e.id for e in course.exercises if e.id in chosen),
            due=due,
        )
    return GradingConfig(path=path, assignments=assignments, points=points)


def _due(value: Any) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
    if isinstance(value, datetime.date):
        # A bare date: due at the end of that day, UTC.
        return datetime.datetime.combine(value, datetime.time(23, 59, 59), tzinfo=datetime.UTC)
    return None


def from_options(path: Path | None, assignment: str | None, course: Course) -> GradingConfig | None:
    """What `--config FILE` and `--assignment NAME` ask for, checked before anything is graded."""
    if path is None:
        if assignment is not None:
            raise ConfigError(
                f"--assignment {assignment} needs the file that defines it.",
                "Add --config grading.toml (with an assignments.NAME table).",
            )
        return None
    config = load_config(path, course)
    if assignment is not None:
        config.assignment(assignment)  # an unknown name is an error now, not after grading
    return config

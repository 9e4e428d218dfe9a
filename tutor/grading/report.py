"""What `tutor grade` produces: one report per workspace. Every output format renders these objects.

The report is the tool's own JSON format (`tutor grade --format json`). It carries what is needed
to trust it later: the tool and course versions, the student id, the seed, and the SHA-256 of every
graded file, so `tutor grade --verify REPORT` can tell whether it still matches the files.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

SCHEMA = "cnn-tutor/grade-report"
SCHEMA_VERSION = 1


class GradeStatus(StrEnum):
    """How grading of a whole workspace went. Only ERROR means the grader itself broke."""

    COMPLETED = "completed"
    ERROR = "error"


# An exercise whose grading crashed inside the tutor (never the student's fault).
GRADER_ERROR = "grader_error"


@dataclass(frozen=True)
class PropertyGrade:
    name: str
    """The property's name, e.g. 'matches torch.nn.functional.conv2d'."""
    status: str
    """A tutor.checking.result.Status value ('passed', 'failed', 'wrong_shape', …)."""
    weight: float
    """Share of the exercise's points, relative to the other properties' weights."""
    points: float
    max_points: float
    examples: int
    """How many inputs were tried."""

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass(frozen=True)
class ExerciseGrade:
    id: str
    title: str
    kind: str
    """'code' or 'numeric'."""
    file: str
    """The graded file, relative to the workspace root."""
    sha256: str | None
    """Digest of the graded file as it was read before grading (None if it was missing)."""
    status: str
    """A check status ('passed', 'failed', 'not_implemented', …) or 'grader_error'."""
    points: float
    max_points: float
    message: str
    """One sentence for the student, the same as `tutor check` prints."""
    feedback: str = ""
    """The full feedback (counterexample, misconception, …) as plain text, maybe truncated."""
    feedback_truncated: bool = False
    properties: tuple[PropertyGrade, ...] = ()
    seconds: float = 0.0
    line: int | None = None
    """Line in `file` the feedback points at (e.g. a syntax error), if any."""
    misconception: str | None = None
    """The misconception the first failing property matched (its text, as `tutor check` shows
    it), if any: what grade-class --summary counts per exercise."""
    substituted: tuple[str, ...] = ()
    """Exercise ids whose reference implementation replaced the student's own module for this
    exercise's check, because the student's failed its own check (graded there, not twice)."""
    helpers: dict[str, str | None] = field(default_factory=dict)
    """Every other workspace file the graded code imported (sibling modules), relative to the
    workspace root, and its SHA-256 as read before grading: --verify compares them too."""

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def full_marks(self) -> bool:
        return self.points >= self.max_points


@dataclass(frozen=True)
class GradeReport:
    tool_version: str
    course: str
    course_version: str
    student: str | None
    seed: int
    derandomized: bool
    isolation: str
    """How the student's code ran: 'sandbox' (bubblewrap) or 'none' (`--no-sandbox`, a plain
    process). The whole run's setting, recorded even when no exercise ran any code."""
    status: GradeStatus
    exercises: tuple[ExerciseGrade, ...]
    environment: dict[str, str] = field(default_factory=dict)
    """Versions of Python and of the libraries the verdict depends on (numpy, torch, hypothesis)."""
    graded_at: str = ""
    """UTC time the grading started (ISO 8601)."""
    seconds: float = 0.0
    notes: tuple[str, ...] = ()
    """Sentences for the student about how this grading was done (e.g. which student id the
    numeric variants came from on Gradescope); shown by the formats that have room for them."""
    assignment: str | None = None
    """The grading.toml assignment graded (`--assignment NAME`); None: the whole course."""

    @property
    def points(self) -> float:
        return round(sum(e.points for e in self.exercises), 2)

    @property
    def max_points(self) -> float:
        return round(sum(e.max_points for e in self.exercises), 2)

    def files(self) -> dict[str, str | None]:
        """Every graded file and its SHA-256, the way --verify compares them."""
        files = {e.file: e.sha256 for e in self.exercises}
        for e in self.exercises:  # the sibling modules the graded code imported
            files |= {name: digest for name, digest in e.helpers.items() if name not in files}
        return files

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"schema": SCHEMA, "schema_version": SCHEMA_VERSION, "tool": "cnn-tutor"}
        data |= asdict(self)
        data["status"] = str(self.status)
        data["points"] = self.points
        data["max_points"] = self.max_points
        return data

    @staticmethod
    def from_dict(data: dict[str, Any]) -> GradeReport:
        """Read a report written by to_dict. Raises ValueError when it is not one."""
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ValueError(f"not a cnn-tutor grade report (its 'schema' is not {SCHEMA!r})")
        if data.get("schema_version") != SCHEMA_VERSION:
            raise ValueError(
                f"grade report schema_version {data.get('schema_version')!r}, this tutor reads {SCHEMA_VERSION}"
            )
        try:
            exercises = tuple(
                ExerciseGrade(
                    **{
                        **row,
                        "properties": tuple(PropertyGrade(**p) for p in row.get("properties", ())),
                        "substituted": tuple(row.get("substituted", ())),
                    }
                )
                for row in data["exercises"]
            )
            return GradeReport(
                tool_version=str(data["tool_version"]),
                course=str(data["course"]),
                course_version=str(data["course_version"]),
                student=data.get("student"),
                seed=int(data["seed"]),
                derandomized=bool(data["derandomized"]),
                isolation=str(data.get("isolation") or ""),  # "" in reports made before it was recorded
                status=GradeStatus(data["status"]),
                exercises=exercises,
                environment=dict(data.get("environment") or {}),
                graded_at=str(data.get("graded_at", "")),
                seconds=float(data.get("seconds", 0.0)),
                notes=tuple(str(n) for n in data.get("notes") or ()),  # none in older reports
                assignment=data.get("assignment"),  # none in older reports
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"malformed grade report: {error}") from None

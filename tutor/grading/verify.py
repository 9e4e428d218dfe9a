"""Does a grade report still match the files? The tamper-evidence half of `tutor grade`.

A report records the SHA-256 of every file it graded. An instructor re-grading a student's commit
compares the report (from CI, Gradescope or a student) with the files: any difference means the
report is not about these files. With `regrade`, the points are re-computed and compared as well,
which catches a report whose numbers were edited by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.checking.submission import UnsafeFile, read_regular_file
from tutor.errors import UsageError
from tutor.grading.report import GradeReport
from tutor.workspace import Workspace, file_digest

NO_SANDBOX_NOTE = (
    "The report was graded with --no-sandbox: the student's code ran as a plain process, so it "
    "could have changed files or the grader while it was graded. Re-grade it with --regrade."
)


@dataclass(frozen=True)
class Verification:
    matches: bool
    """True when every recorded file has the recorded digest (and, if re-graded, the same points)."""
    checked: int
    """How many files were compared."""
    problems: tuple[str, ...] = ()
    """One sentence per difference, naming the file or the exercise."""
    notes: tuple[str, ...] = field(default_factory=tuple)
    """Facts that do not break the match, e.g. a different tool version."""


REPORT_MAX_BYTES = 64 * 1024 * 1024
"""Largest report --verify reads (a report of the whole course is a few hundred KiB)."""


def read_provenance(path: Path) -> dict[str, Any]:
    """The recorded versions, student and file digests from a json report or a Gradescope results.json."""
    try:
        # A plain file only: never blocks on a FIFO or device given as the report.
        data = json.loads(read_regular_file(path, max_bytes=REPORT_MAX_BYTES).decode("utf-8"))
    except UnsafeFile as error:
        raise UsageError(
            f"Cannot read the report {path}: {error.reason}.",
            "Give the file written by `tutor grade --format json`.",
        ) from None
    except (OSError, ValueError) as error:
        raise UsageError(
            f"Cannot read the report {path}: {error}.",
            "Give the file written by `tutor grade --format json`.",
        ) from None
    if (
        isinstance(data, dict)
        and isinstance(data.get("extra_data"), dict)
        and "cnn_tutor" in data["extra_data"]
    ):
        return dict(data["extra_data"]["cnn_tutor"]) | {"points": data.get("score")}
    try:
        report = GradeReport.from_dict(data)
    except ValueError as error:
        raise UsageError(
            f"{path} is not a cnn-tutor grade report ({error}).",
            "--verify reads `tutor grade --format json` reports and Gradescope results.json files written by the tutor.",
        ) from None
    return {
        "tool_version": report.tool_version,
        "course": report.course,
        "course_version": report.course_version,
        "student": report.student,
        "seed": report.seed,
        "isolation": report.isolation,
        "files": report.files(),
        "points": report.points,
        "exercise_points": {e.id: e.points for e in report.exercises},
    }


def verify(
    recorded: dict[str, Any], workspace: Workspace, regraded: GradeReport | None = None
) -> Verification:
    problems: list[str] = []
    notes: list[str] = []
    files = recorded.get("files") or {}
    for relative, digest in sorted(files.items()):
        # Inside the workspace only: a report naming ../../elsewhere or a link out reads as missing.
        actual = file_digest(workspace.root / relative, workspace.root)
        if actual != digest:
            if actual is None:
                problems.append(f"{relative} is in the report but missing here.")
            elif digest is None:
                problems.append(f"{relative} was missing when the report was made but exists here.")
            else:
                problems.append(
                    f"{relative} differs from the graded file (SHA-256 {actual[:12]}… here, {digest[:12]}… in the report)."
                )
    if recorded.get("student") != workspace.student:
        problems.append(
            f"The report is for student {recorded.get('student')!r}, this workspace is {workspace.student!r}."
        )
    from tutor import __version__

    if recorded.get("tool_version") != __version__:
        notes.append(
            f"The report was made by cnn-tutor {recorded.get('tool_version')}, this is {__version__}."
        )
    if recorded.get("isolation") == "none":
        notes.append(NO_SANDBOX_NOTE)
    if regraded is not None:
        if recorded.get("isolation") not in (None, "", regraded.isolation):
            notes.append(
                f"The report ran the code with isolation {recorded.get('isolation')!r}, "
                f"the re-grade with {regraded.isolation!r}."
            )
        if recorded.get("course_version") != regraded.course_version:
            notes.append(
                f"The report graded course {recorded.get('course_version')}, this tutor has {regraded.course_version}."
            )
        if recorded.get("seed") != regraded.seed:
            notes.append(f"The report used seed {recorded.get('seed')}, the re-grade used {regraded.seed}.")
        if recorded.get("points") != regraded.points:
            problems.append(
                f"The report claims {recorded.get('points')} points; re-grading the files gives {regraded.points}."
            )
        for exercise in regraded.exercises:
            claimed = (recorded.get("exercise_points") or {}).get(exercise.id)
            if claimed is not None and claimed != exercise.points:
                problems.append(
                    f"{exercise.id}: the report claims {claimed} points, re-grading gives {exercise.points}."
                )
    return Verification(not problems, len(files), tuple(problems), tuple(notes))

"""Grade a whole class: every workspace in its own `tutor grade --format json` subprocess.

A submission can be broken, hang or attack the grader. Each one therefore runs in a separate
process with a time limit; when the limit passes, the process is asked to stop (so it can stop its
workers) and then killed with everything it started. Its row says what happened, and the batch
goes on. A report is only accepted if it parses as a grade report and its file digests match the
files on disk, so a submission that rewrites itself while being graded is flagged, not trusted.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tutor.catalog import Course
from tutor.grading.report import GradeReport, GradeStatus
from tutor.workspace import WORKSPACE_FILE, file_digest

DEFAULT_TIMEOUT = 900.0
"""Seconds one submission may take in all (each call of a student function has its own limit too)."""
STOP_GRACE = 5.0
"""Seconds a stopped `tutor grade` gets to stop its workers before everything is killed."""


class RowStatus:
    """What happened to one submission. Only GRADED rows carry trustworthy points."""

    GRADED = "graded"
    GRADER_ERROR = "grader_error"  # graded, but the grader failed on some exercise (see the report)
    TIMEOUT = "timeout"
    NOT_A_WORKSPACE = "not_a_workspace"
    ERROR = "error"  # `tutor grade` exited without a usable report
    REJECTED = "rejected"  # a report came back but does not match the files


NOT_A_WORKSPACE = "no {file} here: not a cnn-tutor workspace"
TIMED_OUT = "stopped after {seconds:g} s (the limit per submission); nothing was graded"
NO_REPORT = "`tutor grade` exited with code {code} and no usable report: {detail}"
FILES_CHANGED = "the report does not match the files (they changed while grading?): {problem}"


@dataclass(frozen=True)
class ClassRow:
    directory: str
    student: str | None
    status: str
    message: str = ""
    points: dict[str, float] = field(default_factory=dict)
    """Points per exercise id (empty when the submission could not be graded)."""
    total: float = 0.0
    max_points: float = 0.0
    seconds: float = 0.0
    report_file: str | None = None


@dataclass(frozen=True)
class ClassSummary:
    submissions: int
    graded: int
    errors: int
    seconds: float
    max_points: float
    totals: tuple[float, ...]
    histogram: tuple[tuple[str, int], ...]
    """(range of totals as a share of the maximum, how many students)."""
    most_failed: tuple[tuple[str, int], ...]
    """(exercise id, how many graded students did not get full marks), most first."""
    problems: tuple[tuple[str, str, str], ...]
    """(directory, status, message) of every submission that was not graded cleanly."""

    @property
    def mean(self) -> float:
        return statistics.fmean(self.totals) if self.totals else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.totals) if self.totals else 0.0

    @property
    def minimum(self) -> float:
        return min(self.totals, default=0.0)

    @property
    def maximum(self) -> float:
        return max(self.totals, default=0.0)


def submissions(paths: Sequence[Path]) -> list[Path]:
    """Each path is a workspace, or a folder of workspaces (e.g. every student's clone)."""
    found: list[Path] = []
    for path in paths:
        if not (path / WORKSPACE_FILE).is_file() and path.is_dir():
            children = sorted(p for p in path.iterdir() if p.is_dir() and (p / WORKSPACE_FILE).is_file())
            if children:
                found += children
                continue
        found.append(path)
    return found


def default_command() -> list[str]:
    return [sys.executable, "-m", "tutor", "grade"]


def _student_of(directory: Path) -> str | None:
    try:
        data = tomllib.loads((directory / WORKSPACE_FILE).read_text(encoding="utf-8"))
        student = data.get("workspace", {}).get("student")
    except (OSError, ValueError, AttributeError):
        return None
    return str(student) if student else None


def _descendants(pid: int) -> list[int]:
    """Every process started (directly or not) by `pid`, from /proc. Workers run in their own sessions."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM (so `tutor grade` stops its workers), then SIGKILL whatever is left, workers included."""
    family = _descendants(process.pid)
    try:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=STOP_GRACE)
    except subprocess.TimeoutExpired:
        pass
    except ProcessLookupError:
        pass
    for pid in [process.pid, *family, *_descendants(process.pid)]:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)  # a worker leads its own process group
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    process.wait()


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no message"


def grade_submission(
    directory: Path,
    command: Sequence[str],
    timeout: float,
    report_path: Path | None = None,
) -> ClassRow:
    """Grade one workspace in a subprocess and turn the outcome into a row. Never raises for the submission."""
    shown = str(directory)
    student = _student_of(directory)
    if not (directory / WORKSPACE_FILE).is_file():
        return ClassRow(
            shown, student, RowStatus.NOT_A_WORKSPACE, NOT_A_WORKSPACE.format(file=WORKSPACE_FILE)
        )
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--format", "json"],
        cwd=directory,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=os.environ | {"TUTOR_DEBUG": ""},
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        process.communicate()
        return ClassRow(
            shown,
            student,
            RowStatus.TIMEOUT,
            TIMED_OUT.format(seconds=timeout),
            seconds=round(time.perf_counter() - started, 3),
        )
    seconds = round(time.perf_counter() - started, 3)
    detail = _last_line(err.decode("utf-8", "replace"))
    try:
        data = json.loads(out.decode("utf-8"))
        report = GradeReport.from_dict(data)
    except (ValueError, UnicodeDecodeError) as error:
        message = NO_REPORT.format(
            code=process.returncode, detail=detail if process.returncode else str(error)
        )
        return ClassRow(shown, student, RowStatus.ERROR, message, seconds=seconds)
    changed = [f for f, digest in report.files().items() if file_digest(directory / f) != digest]
    status = RowStatus.GRADED if report.status is GradeStatus.COMPLETED else RowStatus.GRADER_ERROR
    message = "" if status == RowStatus.GRADED else detail
    if changed:
        status, message = RowStatus.REJECTED, FILES_CHANGED.format(problem=f"{changed[0]} differs")
    if report_path is not None:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    trusted = status in (RowStatus.GRADED, RowStatus.GRADER_ERROR)
    return ClassRow(
        shown,
        report.student,
        status,
        message,
        {e.id: e.points for e in report.exercises} if trusted else {},
        report.points if trusted else 0.0,
        report.max_points,
        seconds,
        str(report_path) if report_path else None,
    )


def _report_names(directories: Sequence[Path]) -> list[str]:
    names: list[str] = []
    for directory in directories:
        base = (
            re.sub(r"[^A-Za-z0-9_.-]+", "_", _student_of(directory) or directory.resolve().name)
            or "submission"
        )
        name, n = base, 2
        while name in names:
            name, n = f"{base}-{n}", n + 1
        names.append(name)
    return names


def grade_class(
    directories: Sequence[Path],
    jobs: int = 1,
    timeout: float = DEFAULT_TIMEOUT,
    reports_dir: Path | None = None,
    command: Sequence[str] | None = None,
    on_done: Callable[[ClassRow], None] | None = None,
) -> list[ClassRow]:
    """Grade every directory, `jobs` at a time. Rows come back in the order of `directories`."""
    command = list(command or default_command())
    names = _report_names(directories)

    def one(index: int) -> ClassRow:
        report = reports_dir / f"{names[index]}.json" if reports_dir else None
        try:
            row = grade_submission(directories[index], command, timeout, report)
        except Exception as error:  # noqa: BLE001 - e.g. the OS refusing a process: still one row
            row = ClassRow(str(directories[index]), None, RowStatus.ERROR, f"{type(error).__name__}: {error}")
        if on_done:
            on_done(row)
        return row

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, range(len(directories))))


def gradebook_csv(rows: Sequence[ClassRow], course: Course) -> str:
    """One row per submission: student, directory, points per exercise, total, status."""
    ids = course.ids()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "directory", *ids, "total", "max_points", "status", "message"])
    max_points = sum(e.points for e in course.exercises)
    for row in rows:
        cells = [f"{row.points[i]:g}" if i in row.points else "" for i in ids]
        writer.writerow(
            [
                row.student or "",
                row.directory,
                *cells,
                f"{row.total:g}",
                f"{row.max_points or max_points:g}",
                row.status,
                row.message,
            ]
        )
    return buffer.getvalue()


def summarize(rows: Sequence[ClassRow], course: Course, seconds: float, buckets: int = 5) -> ClassSummary:
    graded = [r for r in rows if r.status in (RowStatus.GRADED, RowStatus.GRADER_ERROR)]
    max_points = float(sum(e.points for e in course.exercises))
    totals = tuple(r.total for r in graded)
    histogram = []
    for k in range(buckets):
        low, high = k / buckets, (k + 1) / buckets
        count = sum(
            1
            for t in totals
            if low <= (t / max_points if max_points else 0) < high or (k == buckets - 1 and t >= max_points)
        )
        histogram.append((f"{round(100 * low)}–{round(100 * high)}%", count))
    misses = Counter(e.id for r in graded for e in course.exercises if r.points.get(e.id, 0.0) < e.points)
    order = {e.id: e.order for e in course.exercises}
    most_failed = tuple(sorted(misses.items(), key=lambda item: (-item[1], order.get(item[0], 0)))[:5])
    problems = tuple((r.directory, r.status, r.message) for r in rows if r.status != RowStatus.GRADED)
    return ClassSummary(
        submissions=len(rows),
        graded=len(graded),
        errors=len(rows) - len(graded),
        seconds=seconds,
        max_points=max_points,
        totals=totals,
        histogram=tuple(histogram),
        most_failed=most_failed,
        problems=problems,
    )

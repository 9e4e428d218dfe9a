"""Grade a whole class: every workspace in its own `tutor grade --format json` subprocess.

A submission can be broken, hang or attack the grader. Each one therefore runs in a separate
process with a time limit; when the limit passes, the process is asked to stop (so it can stop its
workers) and then killed with everything it started. Its row says what happened, and the batch
goes on.

Each `tutor grade` writes its report into a private folder this process made (mode 0700), to a
file it is named with --output; its stdout is never read as a report. A report is only accepted
if the process ended the documented way (exit 0, or 3 for a report that says the grader failed
on some exercise), the report parses, it ran the code the way this batch asked (sandbox or
--no-sandbox), and its file digests match the files on disk, so a submission that rewrites itself
while being graded is flagged, not trusted. Anything else is an `error` row with no points.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tutor.catalog import Course
from tutor.checking.isolation import Isolation
from tutor.checking.submission import UnsafeFile, read_regular_file
from tutor.grading.report import GRADER_ERROR, GradeReport, GradeStatus
from tutor.workspace import WORKSPACE_FILE, atomic_write, file_digest

DEFAULT_TIMEOUT = 900.0
"""Seconds one submission may take in all (each call of a student function has its own limit too)."""
STOP_GRACE = 5.0
"""Seconds a stopped `tutor grade` gets to stop its workers before everything is killed."""
REPORT_MAX_BYTES = 64 * 1024 * 1024
"""Largest report read back from a `tutor grade` (a whole course's is a few hundred KiB)."""
LOG_TAIL_BYTES = 16 * 1024
"""How much of a `tutor grade`'s own output (stdout and stderr) is read back, for the message."""
# `tutor grade` exit codes (README, "tutor grade"): 0 graded (whatever the points, without
# --fail-under); 3 graded, but the grader itself failed on some exercise (the report says which).
GRADED_EXIT = 0
GRADER_FAILED_EXIT = 3


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
KILLED = "`tutor grade` was killed by signal {signal}; nothing was graded: {detail}"
BAD_EXIT = "`tutor grade` exited with code {code}, so its report is not trusted: {detail}"
UNEXPECTED_STATUS = (
    "`tutor grade` exited with code {code} but its report says grading {status}: neither is trusted"
)
WRONG_ISOLATION = (
    "the report says the code ran with isolation {got!r}, but this batch asked for {wanted!r}: not trusted"
)
FILES_CHANGED = "the report does not match the files (they changed while grading?): {problem}"


@dataclass(frozen=True)
class ClassRow:
    directory: str
    student: str | None
    status: str
    message: str = ""
    points: dict[str, float] = field(default_factory=dict)
    """Points per exercise id (empty when the submission could not be graded)."""
    total: float | None = None
    """The report's total; None when the submission could not be graded (an empty CSV cell)."""
    max_points: float = 0.0
    seconds: float = 0.0
    report_file: str | None = None

    @property
    def graded(self) -> bool:
        """True when the row's points come from a report that was accepted."""
        return self.status in (RowStatus.GRADED, RowStatus.GRADER_ERROR)


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
        data = tomllib.loads(read_regular_file(directory / WORKSPACE_FILE, directory).decode("utf-8"))
        student = data.get("workspace", {}).get("student")
    except (OSError, UnsafeFile, ValueError, AttributeError):
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
    """The last `error:` line of a `tutor grade`'s output, else its last line."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    return (errors or lines or ["no message"])[-1][:300]


def _tail(path: Path) -> str:
    """The end of a `tutor grade`'s own output, for a row's message (never parsed for a grade)."""
    try:
        with path.open("rb") as stream:
            stream.seek(max(0, path.stat().st_size - LOG_TAIL_BYTES))
            return stream.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def grade_submission(
    directory: Path,
    command: Sequence[str],
    timeout: float,
    report_path: Path | None = None,
    isolation: Isolation = Isolation.SANDBOX,
    private_dir: Path | None = None,
) -> ClassRow:
    """Grade one workspace in a subprocess and turn the outcome into a row. Never raises for the submission.

    `private_dir` is a folder only this user can enter, where the child writes its report and
    output (a temporary one is made and removed when it is None).
    """
    if private_dir is None:
        with tempfile.TemporaryDirectory(prefix="tutor-grade-class-") as folder:
            return grade_submission(directory, command, timeout, report_path, isolation, Path(folder))
    shown = str(directory)
    student = _student_of(directory)
    if not (directory / WORKSPACE_FILE).is_file():
        return ClassRow(
            shown, student, RowStatus.NOT_A_WORKSPACE, NOT_A_WORKSPACE.format(file=WORKSPACE_FILE)
        )
    private = Path(tempfile.mkdtemp(prefix="submission-", dir=private_dir))  # 0700, a fresh name
    try:
        return _grade_in(directory, command, timeout, report_path, isolation, private, shown, student)
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _grade_in(
    directory: Path,
    command: Sequence[str],
    timeout: float,
    report_path: Path | None,
    isolation: Isolation,
    private: Path,
    shown: str,
    student: str | None,
) -> ClassRow:
    output, log = private / "report.json", private / "output.log"
    flags = ["--format", "json", "--output", str(output)]
    if isolation is Isolation.NONE:
        flags.append("--no-sandbox")
    started = time.perf_counter()
    with log.open("wb") as log_stream:
        process = subprocess.Popen(
            [*command, *flags],
            cwd=directory,
            stdin=subprocess.DEVNULL,
            stdout=log_stream,
            stderr=log_stream,
            start_new_session=True,
            env=os.environ | {"TUTOR_DEBUG": "", "COLUMNS": "1000"},  # one message, one line
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(process)
            return ClassRow(
                shown,
                student,
                RowStatus.TIMEOUT,
                TIMED_OUT.format(seconds=timeout),
                seconds=round(time.perf_counter() - started, 3),
            )
    seconds = round(time.perf_counter() - started, 3)
    code = process.returncode
    detail = _last_line(_tail(log))

    def error(message: str) -> ClassRow:
        return ClassRow(shown, student, RowStatus.ERROR, message, seconds=seconds)

    if code < 0:
        return error(KILLED.format(signal=_signal_name(-code), detail=detail))
    try:
        data = json.loads(read_regular_file(output, private, max_bytes=REPORT_MAX_BYTES).decode("utf-8"))
        report = GradeReport.from_dict(data)
    except (OSError, UnsafeFile, ValueError, UnicodeDecodeError) as problem:
        why = detail if code else getattr(problem, "reason", None) or str(problem)
        return error(NO_REPORT.format(code=code, detail=why))
    if code not in (GRADED_EXIT, GRADER_FAILED_EXIT):
        return error(BAD_EXIT.format(code=code, detail=detail))
    broken = any(e.status == GRADER_ERROR for e in report.exercises)
    expected = GradeStatus.COMPLETED if code == GRADED_EXIT else GradeStatus.ERROR
    if report.status is not expected or broken != (code == GRADER_FAILED_EXIT):
        return error(UNEXPECTED_STATUS.format(code=code, status=report.status))
    if report.isolation != str(isolation):
        return error(WRONG_ISOLATION.format(got=report.isolation, wanted=str(isolation)))
    changed = [f for f, digest in report.files().items() if file_digest(directory / f, directory) != digest]
    status = RowStatus.GRADED if code == GRADED_EXIT else RowStatus.GRADER_ERROR
    message = "" if status == RowStatus.GRADED else detail
    if changed:
        status, message = RowStatus.REJECTED, FILES_CHANGED.format(problem=f"{changed[0]} differs")
    if report_path is not None:
        atomic_write(report_path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", mode=0o644)
    trusted = status in (RowStatus.GRADED, RowStatus.GRADER_ERROR)
    return ClassRow(
        shown,
        report.student,
        status,
        message,
        {e.id: e.points for e in report.exercises} if trusted else {},
        report.points if trusted else None,
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
    isolation: Isolation = Isolation.SANDBOX,
) -> list[ClassRow]:
    """Grade every directory, `jobs` at a time. Rows come back in the order of `directories`.

    `isolation` is passed on to every `tutor grade` (NONE: --no-sandbox), and every report must
    say it ran that way. The caller checks first that the sandbox exists (runner.grading_isolation).
    """
    command = list(command or default_command())
    names = _report_names(directories)

    with tempfile.TemporaryDirectory(prefix="tutor-grade-class-") as folder:  # mode 0700

        def one(index: int) -> ClassRow:
            report = reports_dir / f"{names[index]}.json" if reports_dir else None
            try:
                row = grade_submission(directories[index], command, timeout, report, isolation, Path(folder))
            except Exception as error:  # noqa: BLE001 - e.g. the OS refusing a process: still one row
                row = ClassRow(
                    str(directories[index]), None, RowStatus.ERROR, f"{type(error).__name__}: {error}"
                )
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
                "" if row.total is None else f"{row.total:g}",  # not graded: no total, not 0
                f"{row.max_points or max_points:g}",
                row.status,
                row.message,
            ]
        )
    return buffer.getvalue()


def summarize(rows: Sequence[ClassRow], course: Course, seconds: float, buckets: int = 5) -> ClassSummary:
    graded = [r for r in rows if r.graded]
    max_points = float(sum(e.points for e in course.exercises))
    totals = tuple(r.total or 0.0 for r in graded)
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

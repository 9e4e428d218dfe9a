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
import dataclasses
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
import threading
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from tutor.catalog import Course
from tutor.checking.isolation import Isolation
from tutor.checking.sandbox import _descendants, running
from tutor.checking.submission import UnsafeFile, read_regular_file
from tutor.errors import UsageError
from tutor.grading import gitrepo
from tutor.grading.report import GRADER_ERROR, GradeReport, GradeStatus
from tutor.grading.zygote import ForkedGrade, Zygote, ZygoteUnavailable
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
    MISSING = "missing"  # listed in the roster, but there is no such folder
    NO_REF = "no_ref"  # --ref: the folder is not a git repository, or has no such tag or branch


SUMMARY_SCHEMA = "cnn-tutor/class-summary"
MISSING = "the roster lists this folder, but there is none at {path}"


NOT_A_WORKSPACE = "no {file} here: not a cnn-tutor workspace"
NOT_A_WORKSPACE_AT = "no {file} in {ref} ({sha:.12}): not a cnn-tutor workspace"
NOT_COPIED = "graded {ref} ({sha:.12}); not copied from it: {skipped}"
TIMED_OUT = "stopped after {seconds:g} s (the limit per submission); nothing was graded"
NO_REPORT = "`tutor grade` exited with code {code} and no usable report: {detail}"
INTERRUPTED = "not graded: grading was interrupted"
KILLED = "`tutor grade` was killed by signal {signal}; nothing was graded: {detail}"
BAD_EXIT = "`tutor grade` exited with code {code}, so its report is not trusted: {detail}"
UNEXPECTED_STATUS = (
    "`tutor grade` exited with code {code} but its report says grading {status}: neither is trusted"
)
WRONG_ISOLATION = (
    "the report says the code ran with isolation {got!r}, but this batch asked for {wanted!r}: not trusted"
)
WRONG_ASSIGNMENT = "the report grades assignment {got!r}, but this batch asked for {wanted!r}: not trusted"
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
    misconceptions: dict[str, str] = field(default_factory=dict)
    """The misconception each exercise was diagnosed with (exercise id → its text), if any."""
    flags: tuple[str, ...] = ()
    """What the instructor should look at: DUPLICATE_ID, MISSING, UNKNOWN, OTHER_ID (see FLAGS)."""
    commit: str = ""
    """When the folder is a git repository: the sha of its HEAD commit when grading started."""
    committed_at: str = ""
    """That commit's committer date (ISO 8601), as git records it."""

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


def _stop(process: subprocess.Popen | ForkedGrade) -> None:
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
    assignment: str | None = None,
    ref: str | None = None,
    zygote: Zygote | None = None,
) -> ClassRow:
    """Grade one workspace in a subprocess and turn the outcome into a row. Never raises for the submission.

    `private_dir` is a folder only this user can enter, where the child writes its report and
    output (a temporary one is made and removed when it is None). With `ref` (a tag or branch of
    the folder's git repository), that commit's workspace files are graded in a private copy
    (gitrepo.export), and the folder itself is only read.
    """
    if private_dir is None:
        with tempfile.TemporaryDirectory(prefix="tutor-grade-class-") as folder:
            return grade_submission(
                directory, command, timeout, report_path, isolation, Path(folder), assignment, ref, zygote
            )
    shown = str(directory)
    student = _student_of(directory)
    if ref is None and not (directory / WORKSPACE_FILE).is_file():
        return ClassRow(
            shown, student, RowStatus.NOT_A_WORKSPACE, NOT_A_WORKSPACE.format(file=WORKSPACE_FILE)
        )
    private = Path(tempfile.mkdtemp(prefix="submission-", dir=private_dir))  # 0700, a fresh name
    # The copy of REF lives beside `private`, not in it: code graded without the sandbox finds
    # no report next to itself.
    copy_parent = Path(tempfile.mkdtemp(prefix="ref-", dir=private_dir)) if ref is not None else None
    try:
        graded, note = directory, ""
        if ref is None:
            commit, committed_at = gitrepo.head_commit(directory)  # before grading: what the files came from
        else:
            assert copy_parent is not None
            try:
                exported = gitrepo.export(directory, ref, copy_parent / "workspace")
            except gitrepo.GitError as error:
                return ClassRow(shown, student, RowStatus.NO_REF, error.reason)
            graded, commit, committed_at = (
                copy_parent / "workspace",
                exported.commit.sha,
                exported.commit.committed_at,
            )
            student = _student_of(graded)
            if not (graded / WORKSPACE_FILE).is_file():
                message = NOT_A_WORKSPACE_AT.format(file=WORKSPACE_FILE, ref=ref, sha=commit)
                return ClassRow(
                    shown,
                    student,
                    RowStatus.NOT_A_WORKSPACE,
                    message,
                    commit=commit,
                    committed_at=committed_at,
                )
            if exported.skipped:
                note = NOT_COPIED.format(ref=ref, sha=commit, skipped="; ".join(exported.skipped))
        row = _grade_in(
            graded, command, timeout, report_path, isolation, private, shown, student, assignment, zygote
        )
        message = "; ".join(m for m in (row.message, note) if m)
        return dataclasses.replace(row, commit=commit, committed_at=committed_at, message=message)
    finally:
        shutil.rmtree(private, ignore_errors=True)
        if copy_parent is not None:
            shutil.rmtree(copy_parent, ignore_errors=True)


def _grade_in(
    directory: Path,
    command: Sequence[str],
    timeout: float,
    report_path: Path | None,
    isolation: Isolation,
    private: Path,
    shown: str,
    student: str | None,
    assignment: str | None = None,
    zygote: Zygote | None = None,
) -> ClassRow:
    output, log = private / "report.json", private / "output.log"
    flags = ["--format", "json", "--output", str(output)]
    if isolation is Isolation.NONE:
        flags.append("--no-sandbox")
    started = time.perf_counter()
    env = os.environ | {"TUTOR_DEBUG": "", "COLUMNS": "1000"}  # one message, one line
    with log.open("wb") as log_stream:
        process: subprocess.Popen | ForkedGrade | None = None
        prefix = default_command()[:-1]  # the tutor's own command line: the zygote can run it warm
        if zygote is not None and list(command[: len(prefix)]) == prefix:
            with contextlib.suppress(ZygoteUnavailable):
                process = zygote.spawn([*command[len(prefix) :], *flags], directory, env, log)
        if process is None:
            process = subprocess.Popen(
                [*command, *flags],
                cwd=directory,
                stdin=subprocess.DEVNULL,
                stdout=log_stream,
                stderr=log_stream,
                start_new_session=True,
                env=env,
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
    if report.assignment != assignment:
        return error(WRONG_ASSIGNMENT.format(got=report.assignment, wanted=assignment))
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
        {e.id: e.misconception for e in report.exercises if e.misconception} if trusted else {},
    )


def with_report(row: ClassRow, path: Path | None) -> ClassRow:
    """A row read back from a gradebook (--resume), with its report's file and misconceptions
    when that report is there and readable (else as it was)."""
    if path is None or not row.graded:
        return row
    try:
        data = json.loads(read_regular_file(path, max_bytes=REPORT_MAX_BYTES).decode("utf-8"))
        report = GradeReport.from_dict(data)
    except (OSError, UnsafeFile, ValueError, UnicodeDecodeError):
        return row
    found = {e.id: e.misconception for e in report.exercises if e.misconception}
    return dataclasses.replace(row, report_file=str(path), misconceptions=found)


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
    config: Path | None = None,
    assignment: str | None = None,
    skip: Callable[[Path], ClassRow | None] | None = None,
    ref: str | None = None,
) -> list[ClassRow]:
    """Grade every directory, `jobs` at a time. Rows come back in the order of `directories`.

    `isolation` is passed on to every `tutor grade` (NONE: --no-sandbox), and every report must
    say it ran that way. The caller checks first that the sandbox exists (runner.grading_isolation).
    `config` and `assignment` are passed on as --config and --assignment, and every report must
    name that assignment. `skip(directory)` returns the row of a directory already graded
    (--resume), which is then not graded again and not passed to `on_done`. With `ref`, each
    directory's commit `ref` is graded in a private copy (grade_submission).
    """
    warm = command is None  # the tutor's own `tutor grade`: forked warm from one zygote (zygote.py)
    command = list(command or default_command())
    if config is not None:
        command += ["--config", str(Path(config).resolve())]  # each child runs in its own folder
    if assignment is not None:
        command += ["--assignment", assignment]
    names = _report_names(directories)

    with tempfile.TemporaryDirectory(prefix="tutor-grade-class-") as folder:  # mode 0700
        if isolation is Isolation.SANDBOX:
            # Every workspace after the first that passes a check replays its examples (replay.py).
            # Private to this batch: sandboxed code cannot reach it, and it is gone afterwards.
            command += ["--replay-cache", str(Path(folder) / "replay")]

        def one(index: int) -> ClassRow:
            report = reports_dir / f"{names[index]}.json" if reports_dir else None
            done = skip(directories[index]) if skip else None
            if done is not None:
                return with_report(done, report)
            if stopping.is_set():
                return ClassRow(str(directories[index]), None, RowStatus.ERROR, INTERRUPTED)
            try:
                row = grade_submission(
                    directories[index],
                    command,
                    timeout,
                    report,
                    isolation,
                    Path(folder),
                    assignment,
                    ref,
                    zygote.get() if warm else None,
                )
            except Exception as error:  # noqa: BLE001 - e.g. the OS refusing a process: still one row
                row = ClassRow(
                    str(directories[index]), None, RowStatus.ERROR, f"{type(error).__name__}: {error}"
                )
            if on_done and not stopping.is_set():  # a row cut short by an interruption is no grade
                on_done(row)
            return row

        zygote = _Lazy()
        stopping = threading.Event()
        pool = ThreadPoolExecutor(max_workers=max(1, jobs))
        futures = [pool.submit(one, index) for index in range(len(directories))]
        try:
            return [future.result() for future in futures]
        except BaseException:
            # Interrupted (Ctrl-C; the command turns SIGTERM into one too): stop at once, and
            # leave nothing running. Rows already done were passed to on_done; the rest are not.
            stopping.set()
            for future in futures:
                future.cancel()
            while not all(future.done() for future in futures):
                _stop_everything_started_here()
                wait(futures, timeout=0.2)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            zygote.close()


def _stop_everything_started_here() -> None:
    """SIGTERM every process below this one (each `tutor grade` then stops its workers on the
    way out), then SIGKILL what is left after STOP_GRACE: the zygote, graders, their sandboxes."""
    family = _descendants(os.getpid())
    for pid in family:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    while time.monotonic() < deadline and any(running(pid) for pid in family):
        time.sleep(0.05)
    for pid in [*family, *_descendants(os.getpid())]:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


class _Lazy:
    """The zygote, started when the first workspace is graded (a --resume may need none); None
    when it cannot start, and grading goes on with plain subprocesses."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._zygote: Zygote | None = None
        self._tried = False

    def get(self) -> Zygote | None:
        with self._lock:
            if not self._tried:
                self._tried = True
                with contextlib.suppress(ZygoteUnavailable, OSError):
                    self._zygote = Zygote()
            return self._zygote

    def close(self) -> None:
        if self._zygote is not None:
            self._zygote.close()


FLAGS = {
    "duplicate_id": "another row has the same student id",
    "missing": "the roster lists this student, but their folder is not there",
    "unknown": "graded, but the roster does not list this folder",
    "other_id": "the workspace's tutor.toml names another student than the roster",
}
"""The gradebook's `flags` column: what an instructor should look at before publishing (';'-joined)."""

GRADEBOOK_FORMATS = ("csv", "canvas")
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
"""Canvas's gradebook import CSV: these identity columns (Canvas matches a row by ID, SIS User ID
or SIS Login ID; the cnn-tutor student id goes in SIS User ID), then one column per assignment
named as it should appear in Canvas (a new name creates the assignment), with a second row
'Points Possible' giving its maximum. An empty score leaves Canvas's cell unchanged."""
POINTS_POSSIBLE = "    Points Possible"


def annotate(rows: Sequence[ClassRow], roster: Mapping[Path, str] | None = None) -> list[ClassRow]:
    """The rows with their flags: the roster's student id and its flags (when there is a roster:
    folder → student id), and duplicate_id on every row whose student id is not unique."""
    out: list[ClassRow] = []
    known = {p.resolve(): student for p, student in (roster or {}).items()}
    for row in rows:
        flags = [f for f in row.flags if f not in ("duplicate_id", "unknown", "other_id")]
        if roster is not None and row.status != RowStatus.MISSING:
            listed = known.get(Path(row.directory).resolve())
            if listed is None:
                flags.append("unknown")
            else:
                if row.student and row.student != listed:
                    flags.append("other_id")
                row = dataclasses.replace(row, student=listed)
        out.append(dataclasses.replace(row, flags=tuple(flags)))
    counts = Counter(r.student for r in out if r.student)
    return [
        dataclasses.replace(r, flags=(*r.flags, "duplicate_id")) if r.student and counts[r.student] > 1 else r
        for r in out
    ]


def read_roster(path: Path) -> dict[Path, str]:
    """roster.csv (columns student,path; a relative path is from the roster's folder) as folder → id.
    Raises UsageError naming the line of a row without both."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"Cannot read the roster {path}: {error}.") from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"student", "path"} <= {f.strip() for f in reader.fieldnames}:
        raise UsageError(
            f"{path}:1: the roster needs the columns student and path.",
            "Write a header line `student,path`, then one line per student, e.g. `s1234,subs/alice`.",
        )
    roster: dict[Path, str] = {}
    for number, row in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        if not row.get("student") or not row.get("path"):
            raise UsageError(f"{path}:{number}: a roster line needs a student and a path.", "Fill in both.")
        roster[path.parent / row["path"]] = row["student"]
    return roster


def missing_rows(roster: Mapping[Path, str]) -> list[ClassRow]:
    """One row per roster entry whose folder is not there (never graded, flagged missing)."""
    return [
        ClassRow(str(folder), student, RowStatus.MISSING, MISSING.format(path=folder), flags=("missing",))
        for folder, student in roster.items()
        if not folder.is_dir()
    ]


def plan(directories: Sequence[Path], roster: Mapping[Path, str] | None) -> tuple[list[Path], list[ClassRow]]:
    """What a grade-class run grades: the roster's folders that exist, then the other workspaces
    found in `directories`; and a `missing` row for each roster folder that does not exist."""
    found = submissions(directories)
    if roster is None:
        return found, []
    listed = [folder for folder in roster if folder.is_dir()]
    seen = {folder.resolve() for folder in listed}
    return listed + [d for d in found if d.resolve() not in seen], missing_rows(roster)


def gradebook_csv(rows: Sequence[ClassRow], course: Course) -> str:
    """One row per submission: student, directory, points per exercise, total, status, flags."""
    ids = course.ids()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "student",
            "directory",
            *ids,
            "total",
            "max_points",
            "status",
            "flags",
            "commit",
            "committed_at",
            "message",
        ]
    )
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
                ";".join(row.flags),
                row.commit,
                row.committed_at,
                row.message,
            ]
        )
    return buffer.getvalue()


def canvas_csv(rows: Sequence[ClassRow], course: Course, column: str) -> str:
    """The gradebook as Canvas imports it (CANVAS_COLUMNS, then `column` with each total)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CANVAS_COLUMNS, column])
    writer.writerow([POINTS_POSSIBLE, "", "", "", "", f"{sum(e.points for e in course.exercises):g}"])
    for row in rows:
        if not row.student:
            continue  # Canvas cannot match a row without an id; the tutor CSV still has it
        total = "" if row.total is None or not row.graded else f"{row.total:g}"
        writer.writerow([row.student, "", row.student, "", "", total])
    return buffer.getvalue()


def read_gradebook(path: Path, course: Course) -> list[ClassRow]:
    """The rows of a gradebook this module wrote (for --resume). Raises UsageError if it is not one."""
    try:
        text = read_regular_file(path).decode("utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnsafeFile, UnicodeDecodeError) as error:
        raise UsageError(f"Cannot read the gradebook {path} to resume: {error}.") from None
    lines = list(csv.reader(io.StringIO(text)))
    ids = course.ids()
    # By position: an exercise id may also be a column name (a course with an exercise "total").
    header = [
        "student", "directory", *ids, "total", "max_points", "status", "flags", "commit", "committed_at", "message"
    ]  # fmt: skip
    if not lines or lines[0] != header:
        raise UsageError(
            f"{path} is not a gradebook `tutor grade-class` wrote for these exercises, so --resume cannot use it.",
            "Give the gradebook of the interrupted run (same --assignment) with --output, or leave out --resume.",
        )
    rows = []
    n = len(ids)
    for cells in lines[1:]:
        if len(cells) != len(header):
            continue  # not a row this module wrote: graded again
        student, directory, scores = cells[0], cells[1], cells[2 : 2 + n]
        total, max_points, status, flags, commit, committed_at, message = cells[2 + n :]
        rows.append(
            ClassRow(
                directory=directory,
                student=student or None,
                status=status,
                message=message,
                points={i: float(v) for i, v in zip(ids, scores, strict=True) if v},
                total=float(total) if total else None,
                max_points=float(max_points or 0),
                flags=tuple(f for f in flags.split(";") if f),
                commit=commit,
                committed_at=committed_at,
            )
        )
    return rows


class Gradebook:
    """The gradebook file, rewritten whole and atomically as each submission finishes, so an
    interrupted batch leaves every finished row on disk (and --resume can skip them)."""

    def __init__(
        self,
        path: Path,
        course: Course,
        fmt: str = "csv",
        column: str = "cnn-tutor",
        roster: Mapping[Path, str] | None = None,
        order: Sequence[Path] = (),
    ) -> None:
        self.path, self.course, self.fmt, self.column, self.roster = path, course, fmt, column, roster
        self.order = {str(p): n for n, p in enumerate(order)}
        self.rows: list[ClassRow] = []
        self.lock = threading.Lock()

    def add(self, row: ClassRow) -> None:
        with self.lock:
            self.rows.append(row)
            self.write()

    def final(self) -> list[ClassRow]:
        """The rows as written: in the order of the submissions, with their flags."""
        ordered = sorted(self.rows, key=lambda r: self.order.get(r.directory, len(self.order)))
        return annotate(ordered, self.roster)

    def render(self) -> str:
        rows = self.final()
        if self.fmt == "canvas":
            return canvas_csv(rows, self.course, self.column)
        return gradebook_csv(rows, self.course)

    def write(self) -> None:
        atomic_write(self.path, self.render(), mode=0o644)


def summary_json(
    rows: Sequence[ClassRow], course: Course, summary: ClassSummary, assignment: str | None = None
) -> dict:
    """`grade-class --summary`: the class at a glance, per exercise: pass rate, mean points and how
    many students were diagnosed with each misconception. Counts only accepted reports."""
    graded = [r for r in rows if r.graded]
    exercises = {}
    for exercise in course.exercises:
        earned = [r.points.get(exercise.id, 0.0) for r in graded]
        full = sum(1 for p in earned if p >= exercise.points)
        diagnosed = Counter(r.misconceptions[exercise.id] for r in graded if exercise.id in r.misconceptions)
        exercises[exercise.id] = {
            "title": exercise.title,
            "max_points": exercise.points,
            "graded": len(graded),
            "passed": full,
            "pass_rate": round(full / len(graded), 4) if graded else None,
            "mean_points": round(statistics.fmean(earned), 3) if graded else None,
            "misconceptions": dict(sorted(diagnosed.items(), key=lambda item: (-item[1], item[0]))),
        }
    return {
        "schema": SUMMARY_SCHEMA,
        "schema_version": 1,
        "course": course.name,
        "course_version": course.version,
        "assignment": assignment,
        "submissions": summary.submissions,
        "graded": summary.graded,
        "errors": summary.errors,
        "max_points": summary.max_points,
        "mean": round(summary.mean, 3),
        "median": summary.median,
        "minimum": summary.minimum,
        "maximum": summary.maximum,
        "histogram": [{"range": label, "students": count} for label, count in summary.histogram],
        "exercises": exercises,
        "problems": [{"directory": d, "status": st, "message": m} for d, st, m in summary.problems],
    }


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

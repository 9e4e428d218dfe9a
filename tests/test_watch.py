"""`tutor watch`, driven for real in a pseudo-terminal: stub, wrong file, hint, right file, pass, n, next exercise, q."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SOLUTIONS
from tutor.catalog import course
from tutor.cli import cli
from tutor.core import check_exercise
from tutor.watch import PollingWatcher, Step, WatchSession
from tutor.workspace import find_workspace

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")
WAIT_SECONDS = 90.0  # generous: two CPUs shared with other test runs, first check imports torch

FLIPPED_CORR2D = """\
import numpy as np


def corr2d(x, k):
    kh, kw = k.shape
    k = k[::-1, ::-1]
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = (x[i:i + kh, j:j + kw] * k).sum()
    return out
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    result = CliRunner().invoke(
        cli, ["init", str(tmp_path / "ws"), "--student", "s42"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return tmp_path / "ws"


class Terminal:
    """A program running in a pseudo-terminal: type keys, read the screen as text."""

    def __init__(self, args: list[str], cwd: Path, columns: int = 120, lines: int = 60) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")}
        env |= {"TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(lines)}
        self.process = subprocess.Popen(
            args, cwd=cwd, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.raw = b""
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self.lock:
                self.raw += chunk

    def text(self, since: int = 0) -> str:
        """The output after byte `since`, without escape sequences."""
        with self.lock:
            return ANSI.sub("", self.raw[since:].decode("utf-8", errors="replace"))

    def mark(self) -> int:
        """A position in the raw output (bytes, so an escape sequence cut between reads cannot shift it)."""
        with self.lock:
            return len(self.raw)

    def wait_for(self, *needles: str, since: int = 0, timeout: float = WAIT_SECONDS) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen = self.text(since)
            if all(n in seen for n in needles):
                return seen
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(
            f"did not see {needles!r} within {timeout:g} s; the screen shows:\n{self.text(since)[-3000:]}"
        )

    def press(self, key: str) -> None:
        os.write(self.master, key.encode())

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        os.close(self.master)


def save(path: Path, text: str) -> None:
    """Write like an editor would, and make sure the modification time moves even on coarse clocks."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def test_watch_end_to_end_in_a_pseudo_terminal(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    the_course = course()
    first = the_course.exercise("corr2d")
    assert first.order == 0, "the scenario starts at the course's first exercise"
    following = the_course.exercises[1]
    term = Terminal([sys.executable, "-m", "tutor", "watch"], cwd=workspace)
    try:
        # The stub: the first check says what to do.
        term.wait_for("corr2d", "NotImplementedError", "q  quit")
        # A wrong attempt: the failure, its misconception and the side-by-side diff.
        mark = term.mark()
        save(workspace / "exercises" / "corr2d.py", FLIPPED_CORR2D)
        screen = term.wait_for("✗ corr2d: failed", "flipped the kernel", "expected vs yours", since=mark)
        assert "Save your file to check again" in screen
        # A hint, one level per press.
        mark = term.mark()
        term.press("h")
        term.wait_for("Hints for corr2d", since=mark)
        # The fix: it passes, and the tutor offers to move on without doing it.
        mark = term.mark()
        shutil.copyfile(SOLUTIONS / "corr2d.py", workspace / "exercises" / "corr2d.py")
        screen = term.wait_for("✓ corr2d passed", "for the next exercise", since=mark)
        time.sleep(1.0)
        assert following.id not in term.text(mark).split("for the next exercise")[-1], "no auto-advance"
        # n: the next exercise is shown.
        mark = term.mark()
        term.press("n")
        term.wait_for(f"·  {following.id}", since=mark)
        # q quits cleanly, and the pass was recorded.
        term.press("q")
        assert term.process.wait(timeout=30) == 0
        assert "Bye!" in term.text()
    finally:
        term.close()
    monkeypatch.chdir(workspace)
    listed = json.loads(CliRunner().invoke(cli, ["list", "--json"], catch_exceptions=False).output)
    assert {row["id"]: row["status"] for row in listed}["corr2d"] == "done"


def test_watch_list_jumps_to_a_numbered_exercise(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workspace)
    ws = find_workspace()
    the_course = course()
    session = WatchSession(ws, the_course, lambda e: check_exercise(ws, e))
    assert session.exercise is not None and session.exercise.id == the_course.exercises[0].id
    assert session.press("l") is Step.REDRAW and session.listing
    session.press("9")
    session.press("9")
    session.press("\r")
    assert session.listing and "There is no exercise 99" in session.note
    target = next(e for e in the_course.exercises if e.is_code and e.order >= 2)
    for key in str(target.order + 1):
        session.press(key)
    assert session.press("\r") is Step.CHECK
    assert not session.listing and session.exercise == target
    assert session.watched_files() == [ws.exercise_file(target)]
    assert session.press("q") is Step.QUIT


def test_watch_names_the_wrong_part_of_a_numeric_question(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    from tutor import render
    from tutor.questions import check_answer, recorded_parts

    monkeypatch.chdir(workspace)
    ws = find_workspace()
    the_course = course()
    question = the_course.exercise("conv_output_volume")
    session = WatchSession(ws, the_course, lambda e: check_exercise(ws, e), start=question)
    session.check()
    assert not check_answer(ws, question, "height", "1").correct
    truth = {grade.name: grade for grade in recorded_parts(ws, question)}
    assert truth["height"].given == 1 and not truth["height"].correct and truth["width"].given is None

    assert session.file_changed()
    session.check()
    console = Console(width=120, record=True, color_system=None)
    console.print(render.watch_screen(session.view()))
    screen = console.export_text()
    assert "✗ height: 1 is not right yet" in screen
    assert "tutor answer conv_output_volume VALUE --part height" in screen
    assert "· width: not answered yet" in screen


def test_a_reset_exercise_is_to_do_again(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tutor.core import course_states
    from tutor.workspace import ExerciseState, file_digest

    monkeypatch.chdir(workspace)
    ws = find_workspace()
    the_course = course()
    conv2d = the_course.exercise("conv2d")
    target = ws.exercise_file(conv2d)
    shutil.copy(SOLUTIONS / "conv2d.py", target)
    ws.progress().record("conv2d", "passed", file_digest(target, ws.root))

    def state() -> ExerciseState:
        return next(row.state for row in course_states(ws, the_course) if row.exercise.id == "conv2d")

    assert state() is ExerciseState.DONE
    result = CliRunner().invoke(cli, ["reset", "conv2d", "--yes"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert state() is ExerciseState.NOT_STARTED
    # A stub restored by hand (git checkout) reads as "to do" as well, not "changed since it passed".
    shutil.copy(SOLUTIONS / "conv2d.py", target)
    ws.progress().record("conv2d", "passed", file_digest(target, ws.root))
    assert state() is ExerciseState.DONE
    target.write_text((Path(__file__).parents[1] / "exercises" / "conv2d.py").read_text())
    assert state() is ExerciseState.NOT_STARTED


class Spied:
    """A watch session with a real check and a real worker started ahead, and the process ids of
    the workers started ahead and of those the checks were given their files in."""

    def __init__(self, ws: object, start: str, monkeypatch: pytest.MonkeyPatch) -> None:
        from tutor.checking.sandbox import SpareWorker, Worker
        from tutor.core import prepare_check

        self.spare = SpareWorker()
        self.submitted: list[int | None] = []
        submit = Worker.submit

        def spy(worker: Worker, submission: object) -> Worker:
            self.submitted.append(worker.pid)
            return submit(worker, submission)  # type: ignore[arg-type]

        monkeypatch.setattr(Worker, "submit", spy)
        self.session = WatchSession(
            ws,  # type: ignore[arg-type]
            course(),
            lambda e: check_exercise(ws, e, spare=self.spare),  # type: ignore[arg-type]
            start=course().exercise(start),
            prepare=lambda e: prepare_check(ws, e, self.spare),  # type: ignore[arg-type]
        )

    def ahead(self) -> int:
        """Prepare the next check, as watch mode does once a verdict is shown; the spare's pid."""
        self.session.prepare_next()
        pid = self.spare.pid
        assert pid is not None and os.path.exists(f"/proc/{pid}"), "no worker was started ahead"
        return pid

    def check(self) -> str:
        self.session.check()
        assert self.session.result is not None, self.session.error
        return str(self.session.result.status)


def test_a_worker_started_ahead_checks_the_file_as_saved_after_it_started(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Watch mode starts the next check's worker while the student edits: the save that follows
    is what is checked (each time), in that very worker, and an unused spare is stopped on quit."""
    monkeypatch.chdir(workspace)
    ws = find_workspace()
    target = ws.exercise_file(course().exercise("corr2d"))
    spied = Spied(ws, "corr2d", monkeypatch)
    with spied.spare:
        assert spied.check() == "not_implemented"  # the stub, in a worker of its own
        assert spied.submitted == []
        for text, verdict in ((SOLUTIONS / "corr2d.py").read_text(), "passed"), (FLIPPED_CORR2D, "failed"):
            pid = spied.ahead()
            save(target, text)  # after the worker started
            assert spied.check() == verdict
            assert spied.submitted[-1] == pid, "the check did not use the worker started ahead"
            assert spied.spare.pid is None and not os.path.exists(f"/proc/{pid}"), "a worker checks once"
        pid = spied.ahead()
    assert not os.path.exists(f"/proc/{pid}"), "the unused worker outlived the session"


def test_a_worker_started_ahead_gets_the_sibling_modules_as_saved(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """residual_block imports the student's conv2d: the conv2d saved after the worker started is
    the one that runs, broken and then fixed."""
    monkeypatch.chdir(workspace)
    ws = find_workspace()
    folder = ws.exercise_file(course().exercise("residual_block")).parent
    shutil.copy(SOLUTIONS / "residual_block.py", folder / "residual_block.py")
    shutil.copy(SOLUTIONS / "conv2d.py", folder / "conv2d.py")
    spied = Spied(ws, "residual_block", monkeypatch)
    with spied.spare:
        pid = spied.ahead()
        save(folder / "conv2d.py", "def conv2d(x, w, b=None, stride=1, padding=0):\n    return x\n")
        assert spied.check() != "passed"
        assert spied.submitted == [pid]
        pid = spied.ahead()
        save(folder / "conv2d.py", (SOLUTIONS / "conv2d.py").read_text())
        assert spied.check() == "passed"
        assert spied.submitted == [spied.submitted[0], pid]


def test_moving_to_a_numeric_question_stops_the_spare_worker(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workspace)
    spied = Spied(find_workspace(), "corr2d", monkeypatch)
    with spied.spare:
        pid = spied.ahead()
        spied.session._move(course().exercise("conv_output_volume"))
        spied.session.prepare_next()
        assert spied.spare.pid is None and not os.path.exists(f"/proc/{pid}")


def test_polling_sees_a_save_by_rename_with_the_same_size(tmp_path: Path) -> None:
    path = tmp_path / "f.py"
    path.write_text("a = 1\n")
    watcher = PollingWatcher([path], sleep=lambda _: None)
    assert not watcher.changed()
    replacement = tmp_path / ".f.py.swp"
    replacement.write_text("a = 2\n")
    stat = path.stat()
    os.utime(
        replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns)
    )  # same size, same mtime: only the inode differs
    os.replace(replacement, path)
    assert watcher.changed()
    assert not watcher.changed()


def test_exercise_ids_complete_in_the_shell(workspace: Path) -> None:
    """click's completion protocol, as bash calls it (see README: shell completion)."""
    env = os.environ | {
        "_TUTOR_COMPLETE": "bash_complete",
        "COMP_WORDS": "tutor watch conv",
        "COMP_CWORD": "2",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tutor"], cwd=workspace, env=env, capture_output=True, text=True, timeout=60
    )
    offered = [line.split(",", 1)[1] for line in done.stdout.splitlines()]
    assert offered and offered == [e.id for e in course().exercises if e.id.startswith("conv")]
    env |= {"COMP_WORDS": "tutor do", "COMP_CWORD": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "tutor"], cwd=workspace, env=env, capture_output=True, text=True, timeout=60
    )
    assert "plain,doctor" in done.stdout.splitlines()

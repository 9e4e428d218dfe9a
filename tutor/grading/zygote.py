"""A warm `tutor grade` for every workspace of a class: forked from one process that has already
paid the imports, instead of started afresh.

Every `tutor grade` of a class imports torch and Hypothesis, loads the checks and warms up torch's
FLOP counter and meta device, the same few seconds of CPU each time, before it grades anything.
`grade-class` therefore starts this module once: it does that work, then forks one child per
workspace, and each child runs the ordinary `tutor grade` command line in its own session, folder
and environment, exactly as the subprocess did. Nothing of one workspace is in the zygote: a child
gets a copy of a process that has graded nothing, and ends with its workspace.

The zygote never runs student code itself, and the warm-up imports only the tutor's own modules.
It is single-threaded (fork and threads do not mix), keeps torch to one thread, and talks to
grade-class over its stdin and stdout in JSON lines:

    → {"id": 1, "argv": ["grade", ...], "cwd": "...", "env": {...}, "log": "..."}
    ← {"id": 1, "pid": 1234}            (or {"id": 1, "error": "..."})
    ← {"pid": 1234, "code": 0}          (when it ends; a negative code is the signal that ended it)
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

READY = "ready"
_POLL_SECONDS = 0.05


# -- the zygote process --------------------------------------------------------------------------
def warm_up() -> None:
    """Import and warm up what every `tutor grade` needs; no workspace, no student code."""
    import torch

    torch.set_num_threads(1)  # before any operation starts a pool: the children fork from here
    import hypothesis  # noqa: F401

    from tutor.catalog import course
    from tutor.checking.engine import load_check

    for exercise in course().exercises:
        if exercise.is_code:
            load_check(exercise)
    # FlopCounterMode and the meta device import hundreds of modules on first use.
    from tutor.checks import compound_scaling
    from tutor.models import lenet5, stage_shapes

    compound_scaling.conv3x3_flops(1, 4)
    stage_shapes(lenet5(), (1, 1, 32, 32))


def _child(request: Mapping) -> None:
    """In the forked child: become `tutor grade` in the request's folder, then exit with its code."""
    code = 1
    try:
        os.setsid()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        stdin = os.open(os.devnull, os.O_RDONLY)
        log = os.open(request["log"], os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC)
        os.dup2(stdin, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.closerange(3, 1 << 16)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = ["tutor", *request["argv"]]
        from tutor.cli import cli

        try:
            cli.main(list(request["argv"]), prog_name="tutor")
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException as error:  # noqa: BLE001 - whatever happens, the child must not return
        with contextlib.suppress(BaseException):
            print(f"error: the forked grader failed: {type(error).__name__}: {error}", file=sys.stderr)
        code = 1
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def serve() -> None:
    """Answer requests on stdin until it closes; report each child's end on stdout."""
    requests, replies = sys.stdin.fileno(), sys.stdout.fileno()

    def say(message: Mapping) -> None:
        data = (json.dumps(message) + "\n").encode()
        while data:
            data = data[os.write(replies, data) :]

    warm_up()
    say({READY: True})
    pending, open_ = b"", True
    children: set[int] = set()  # forked and not yet reaped
    while open_ or children:
        readable, _, _ = select.select([requests] if open_ else [], [], [], _POLL_SECONDS)
        if readable:
            chunk = os.read(requests, 1 << 16)
            if not chunk:
                open_ = False
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = json.loads(line)
                try:
                    pid = os.fork()
                except OSError as error:
                    say({"id": request["id"], "error": str(error)})
                    continue
                if pid == 0:
                    _child(request)
                children.add(pid)
                say({"id": request["id"], "pid": pid})
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            children.discard(pid)
            say({"pid": pid, "code": os.waitstatus_to_exitcode(status)})


# -- grade-class's side ----------------------------------------------------------------------------
class ZygoteUnavailable(RuntimeError):
    """The zygote could not start or has stopped: grade with plain subprocesses instead."""


class ForkedGrade:
    """A `tutor grade` forked by the zygote: the part of subprocess.Popen that grade-class uses."""

    def __init__(self, pid: int, args: Sequence[str]) -> None:
        self.pid = pid
        self.args = list(args)
        self.returncode: int | None = None
        self._ended = threading.Event()

    def _end(self, code: int) -> None:
        self.returncode = code
        self._ended.set()

    def wait(self, timeout: float | None = None) -> int:
        if not self._ended.wait(timeout):
            raise subprocess.TimeoutExpired(self.args, timeout or 0.0)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            os.kill(self.pid, sig)


class Zygote:
    """The zygote process, started once per grade-class run."""

    def __init__(self, start_seconds: float = 120.0) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tutor.grading.zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._lock = threading.Lock()
        self._next_id = 0
        self._started: dict[int, tuple[threading.Event, dict]] = {}
        self._children: dict[int, ForkedGrade] = {}
        self._ended_early: dict[int, int] = {}
        self._ready = threading.Event()
        self._gone = False
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(start_seconds) or self._gone:
            self.close()
            raise ZygoteUnavailable("the warm grader did not start")

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            message = json.loads(line)
            with self._lock:
                if READY in message:
                    self._ready.set()
                elif "id" in message:
                    event, slot = self._started.pop(message["id"])
                    slot.update(message)
                    event.set()
                elif message.get("pid") in self._children:
                    self._children.pop(message["pid"])._end(int(message["code"]))
                else:  # ended before its pid was handed out
                    self._ended_early[int(message["pid"])] = int(message["code"])
        with self._lock:  # the zygote is gone: nothing it started will be reported any more
            self._gone = True
            self._ready.set()
            for event, slot in self._started.values():
                slot["error"] = "the warm grader stopped"
                event.set()
            for child in self._children.values():
                child._end(-signal.SIGKILL)
            self._children.clear()

    def spawn(self, argv: Sequence[str], cwd: Path, env: Mapping[str, str], log: Path) -> ForkedGrade:
        """Fork a `tutor <argv>` in `cwd` with exactly `env`, its output appended to `log`."""
        event, slot = threading.Event(), {}
        with self._lock:
            if self._gone:
                raise ZygoteUnavailable("the warm grader stopped")
            self._next_id += 1
            request = {
                "id": self._next_id,
                "argv": list(argv),
                "cwd": str(cwd),
                "env": dict(env),
                "log": str(log),
            }
            self._started[self._next_id] = (event, slot)
            assert self._process.stdin is not None
            self._process.stdin.write((json.dumps(request) + "\n").encode())
            self._process.stdin.flush()
        event.wait()
        if "error" in slot:
            raise ZygoteUnavailable(slot["error"])
        child = ForkedGrade(int(slot["pid"]), ["tutor", *argv])
        with self._lock:
            if child.pid in self._ended_early:
                child._end(self._ended_early.pop(child.pid))
            else:
                self._children[child.pid] = child
        return child

    def close(self) -> None:
        with contextlib.suppress(OSError):
            if self._process.stdin is not None:
                self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()

    def __enter__(self) -> Zygote:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


if __name__ == "__main__":
    serve()

"""One sandbox per graded workspace, forking a fresh worker for each of its checks.

Starting a worker costs a sandbox and a NumPy import: about 0.25 CPU-s, paid again by each of
the thirty-odd checks of a workspace. A nursery pays it once. It is a worker program started in
the sandbox as a worker would be, but it never runs student code: it imports NumPy, then forks
one worker per check when asked (tutor/checking/worker.py, _nurse). Each forked worker is an
ordinary worker from then on: its own pipes, capture file, limits, import guards and session,
and the check talks to it through the same Worker object as to any other.

What the grader trusts, and why a check in a nursery is as isolated as one in a fresh sandbox:
- The nursery serves the checks of ONE student's workspace (one `tutor grade`), one at a time,
  and is stopped with it. Nothing crosses to another student.
- Before each fork, the grader kills from outside, by its own view of /proc, every process in the
  sandbox except the nursery (and bwrap), and the nursery empties /tmp: what a check left
  behind does not reach the next one, even if it hides from the nursery.
- The nursery is not dumpable, so the students' processes (same uid, no capabilities) can
  neither trace it nor read or write its memory through /proc. They can kill it: the next
  checks then start their own workers, as without a nursery.
- A worker's process id comes from the kernel (SCM_CREDENTIALS on the control socket, sent by
  the worker itself before any student code runs), and the grader checks from /proc that it is
  the nursery's child. What the nursery says (exit codes) only words a failure; a verdict never
  depends on it. File descriptors sent to the grader are closed unread.
"""

from __future__ import annotations

import array
import contextlib
import json
import os
import secrets
import select
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from tutor.checking.isolation import Isolation, Jail, SandboxUnavailable, support
from tutor.checking.sandbox import (
    Worker,
    WorkerKind,
    _descendants,
    _kill_marked,
    _kill_tree,
    launch,
    process_state,
)

START_SECONDS = 30.0
"""How long the nursery may take to start (NumPy's import on a busy machine)."""
FORK_SECONDS = 10.0
"""How long a fork may take before the nursery is given up (the check then starts its own worker)."""
EXIT_REPORT_SECONDS = 2.0
"""How long to wait for the nursery's word on how a worker that is gone ended."""

_CREDENTIALS = struct.Struct("3i")  # struct ucred: pid, uid, gid


class NurseryFailure(Exception):
    """The nursery could not fork a worker; checks go on with workers of their own."""


class ForkedProcess:
    """A worker forked by the nursery, as Worker uses a process: pid, poll(), wait().

    The grader is not its parent, so it learns of the exit from a pidfd and of the exit code
    from the nursery (when the nursery says nothing, the worker counts as killed)."""

    def __init__(self, nursery: Nursery, pid: int, inner_pid: int) -> None:
        self.pid = pid
        """Its process id as this process sees it (the kernel's, from the control socket)."""
        self._inner_pid = inner_pid
        self._nursery = nursery
        self._pidfd = os.pidfd_open(pid)
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and _readable(self._pidfd, 0.0):
            self._ended()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            if not _readable(self._pidfd, timeout):
                raise subprocess.TimeoutExpired("worker", timeout or 0.0)
            self._ended()
        assert self.returncode is not None
        return self.returncode

    def _ended(self) -> None:
        code = self._nursery.exit_code(self._inner_pid)
        self.returncode = code if code is not None else -signal.SIGKILL
        with contextlib.suppress(OSError):
            os.close(self._pidfd)


class Nursery:
    """Forks the sandboxed workers of the checks of files in `folder` (one student's workspace).

    Pass it where a check takes a worker started ahead (run_check's `spare`): take(kind) returns
    a started worker for a check of that kind, or None when the nursery cannot serve it (another
    folder, an exercise that needs more than NumPy, no sandbox, or the nursery is gone); the check
    then starts its own. Close it when the workspace is graded (or use it as a context manager).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(os.path.abspath(folder))
        self._tmp: str | None = None
        self.code = Path()
        """The folder the sandbox shows at `folder`: each check's snapshot is written here."""
        self._process: subprocess.Popen | None = None
        self._jail: Jail | None = None
        self._control: socket.socket | None = None
        self._pid: int | None = None
        """The nursery's process id as this process sees it."""
        self._keep: set[int] = set()
        """The nursery and the sandbox's own processes (bwrap): spared by the sweep before a fork."""
        self._exits: dict[int, int] = {}
        self._token = secrets.token_hex(8)
        self.gone: str | None = None
        """Why the nursery no longer forks workers (None while it does)."""
        self.forked = 0

    # -- what checks call --------------------------------------------------------------------------
    def take(self, kind: WorkerKind) -> Worker | None:
        """A worker forked for a check of this kind, given its files with submit(); None if the
        nursery cannot serve it."""
        if self.gone is not None or kind.provided or kind.isolation is Isolation.NONE:
            return None
        if Path(kind.folder) != self.folder:
            return None
        worker: Worker | None = None
        try:
            if self._process is None:
                self._start()
            self._sweep()
            _empty(self.code)
            worker = Worker(
                kind.limits,
                kind.forbidden,
                provided=kind.provided,
                isolation=Isolation.SANDBOX,
                folder=self.folder,
            )
            worker.start_forked(self)
        except (NurseryFailure, SandboxUnavailable, OSError, subprocess.SubprocessError, ValueError) as error:
            if worker is not None:
                worker.stop()
            self.close(f"{type(error).__name__}: {error}")
            return None
        self.forked += 1
        return worker

    def fork(self, config: dict[str, Any], fds: tuple[int, int, int]) -> ForkedProcess:
        """Ask the nursery for a worker with this config and (request, reply, capture) fds."""
        control = self._control
        if control is None:
            raise NurseryFailure("the nursery is not running")
        socket.send_fds(control, [json.dumps({"op": "fork", "config": config}).encode()], list(fds))
        deadline = time.monotonic() + FORK_SECONDS
        while True:
            message, pid = self._receive(deadline)
            if message.get("op") == "ready" and pid is not None and pid != self._pid:
                break
            if message.get("op") in ("refused", "failed"):
                raise NurseryFailure(f"the nursery refused to fork: {message.get('message', '')}"[:300])
        if _parent_of(pid) != self._pid:
            raise NurseryFailure(f"process {pid} said it was a new worker but is not the nursery's child")
        inner = message.get("pid")
        if not isinstance(inner, int):
            raise NurseryFailure("the new worker did not say its process id")
        return ForkedProcess(self, pid, inner)

    def exit_code(self, inner_pid: int) -> int | None:
        """How the nursery says its worker `inner_pid` ended (None: it does not say in time)."""
        deadline = time.monotonic() + EXIT_REPORT_SECONDS
        while inner_pid not in self._exits:
            try:
                self._receive(deadline)
            except NurseryFailure:
                return None
        return self._exits.pop(inner_pid)

    def sweep(self) -> None:
        """Kill what the last check left running in the sandbox (best effort; the next take()
        sweeps again and gives up the nursery if it cannot)."""
        with contextlib.suppress(NurseryFailure):
            self._sweep()

    def close(self, why: str = "closed") -> None:
        """Stop the nursery and everything in its sandbox; later take() calls return None."""
        self.gone = self.gone or why
        if self._process is not None:
            _kill_tree(self._process.pid)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._process.pid, signal.SIGKILL)
            _kill_marked(self._token)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=5)
            self._process = None
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._jail is not None:
            self._jail.cleanup()
            self._jail = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> Nursery:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the nursery's own life --------------------------------------------------------------------
    def _start(self) -> None:
        found = support()
        if not found.available:
            raise SandboxUnavailable(found.detail)
        assert found.bwrap is not None
        self._tmp = tempfile.mkdtemp(prefix="tutor-nursery-")
        os.chmod(self._tmp, 0o711)
        self.code = Path(self._tmp, "code")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        # The kernel stamps every message with its sender's process id, as this process sees it.
        ours.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        self._control = ours
        capture = os.open(os.path.join(self._tmp, "output.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            self._process, self._jail = launch(
                self._tmp,
                {"nursery": True, "control_fd": theirs.fileno()},
                provided=(),
                folder=self.folder,
                search_path=(),
                submission=None,
                token=self._token,
                sandbox=(found.bwrap, bool(found.sizes)),
                pass_fds=(theirs.fileno(),),
                output=capture,
                init=True,
            )
        finally:
            os.close(capture)
            theirs.close()
        message, pid = self._receive(time.monotonic() + START_SECONDS)
        if message.get("op") != "hello" or pid is None:
            raise NurseryFailure(str(message.get("message", "the nursery did not start"))[:300])
        self._pid = pid
        # The sandbox's processes between bwrap and the nursery (bwrap's init): never swept.
        self._keep = {pid}
        ancestor = _parent_of(pid)
        while ancestor is not None and ancestor != self._process.pid and ancestor > 1:
            self._keep.add(ancestor)
            ancestor = _parent_of(ancestor)

    def _sweep(self) -> None:
        """Kill every process in the sandbox but the nursery and bwrap's own (what earlier checks
        left running), judged by this process's view of /proc, not by anything in the sandbox."""
        if self._process is None or self._process.poll() is not None:
            raise NurseryFailure("the nursery's sandbox has ended")
        if _parent_of(self._pid or 0) not in self._keep | {self._process.pid}:
            raise NurseryFailure("the nursery has ended")
        for pid in _descendants(self._process.pid):
            if pid not in self._keep:
                _kill_tree(pid)

    def _receive(self, deadline: float) -> tuple[dict, int | None]:
        """The next message from the sandbox and its sender's process id. Exit reports from the
        nursery are also recorded (for exit_code)."""
        control = self._control
        if control is None:
            raise NurseryFailure("the nursery is not running")
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise NurseryFailure("the nursery did not answer in time")
            ready, _, _ = select.select([control], [], [], remaining)
            if not ready:
                continue
            try:
                data, ancillary, _, _ = control.recvmsg(
                    65536, socket.CMSG_SPACE(_CREDENTIALS.size) + socket.CMSG_SPACE(64 * 4)
                )
            except OSError as error:
                raise NurseryFailure(f"the nursery's channel broke: {error}") from None
            sender = _sender(ancillary)
            if not data:
                raise NurseryFailure("the nursery closed its channel")
            try:
                message = json.loads(data)
            except ValueError:
                raise NurseryFailure("the nursery wrote an invalid message") from None
            if not isinstance(message, dict):
                raise NurseryFailure("the nursery wrote an invalid message")
            if message.get("op") == "exited" and sender is not None and sender == self._pid:
                pid, code = message.get("pid"), message.get("code")
                if isinstance(pid, int) and isinstance(code, int):
                    self._exits[pid] = code
            return message, sender


def _sender(ancillary: list[tuple[int, int, bytes]]) -> int | None:
    """The sender's process id from SCM_CREDENTIALS; any file descriptors sent along are closed."""
    pid = None
    for level, kind, payload in ancillary:
        if level != socket.SOL_SOCKET:
            continue
        if kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
        elif kind == socket.SCM_CREDENTIALS and len(payload) >= _CREDENTIALS.size:
            pid = _CREDENTIALS.unpack(payload[: _CREDENTIALS.size])[0]
    return pid


def _parent_of(pid: int) -> int | None:
    state = process_state(pid)
    return state[1] if state is not None else None


def _readable(fd: int, timeout: float | None) -> bool:
    ready, _, _ = select.select([fd], [], [], timeout)
    return bool(ready)


def _empty(folder: Path) -> None:
    """Delete what is in `folder`, keeping the folder itself: the sandbox has it bound."""
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()

"""Grader side of the worker: start it with limits, call it with deadlines, kill it for good.

The worker runs in its own session (so its whole process group can be killed), in a fresh
temporary directory, with a scrubbed environment. Replies come back on a private pipe; the
student's stdout/stderr go to a capture file that is read back with a size cap.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

from tutor.checking import wire
from tutor.checking.isolation import (
    RUNTIME_DIR,
    TMP_DIR,
    Isolation,
    Jail,
    SandboxUnavailable,
    describe_failure,
    exit_signal,
    interpreter,
    package_mounts,
    support,
    write_runtime,
)
from tutor.checking.submission import Submission

if TYPE_CHECKING:
    from tutor.checking.nursery import ForkedProcess, Nursery

# Shared objects that give away a forbidden library once loaded, whatever the import was spelled
# as and whatever the student did to the import machinery. Read from /proc, outside the worker.
FORBIDDEN_LIBRARY_MARKERS = {
    "torch": ("libtorch", "torch/_C"),
    "tensorflow": ("libtensorflow", "_pywrap_tensorflow"),
    "jax": ("jaxlib/",),
    "jaxlib": ("jaxlib/",),
    "scipy.signal": ("scipy/signal/",),
    "scipy.ndimage": ("scipy/ndimage/",),
}


# Environment variable marking the worker and everything it starts (see Worker._token).
WORKER_TOKEN = "TUTOR_WORKER_TOKEN"


@dataclass(frozen=True)
class Limits:
    """Resource limits for one worker (one check of one file). SECURITY.md documents them.

    Defaults suit NumPy exercises on a laptop or a CI runner. They can be set in tutor.toml's
    [limits] table and on the command line (`tutor check --timeout --memory-mb ...`).
    """

    call_seconds: float = 10.0
    """Wall time for one call of the student's function (or for importing the student's file)."""
    total_seconds: float = 45.0
    """Wall time for the whole check of one file, however many calls it makes."""
    cpu_seconds: int = 60
    """CPU time for the whole worker (RLIMIT_CPU; SIGXCPU, then SIGKILL a second later)."""
    memory_mb: int = 2048
    """Address space of the worker (RLIMIT_AS). NumPy itself needs about 300 MB of it."""
    file_mb: int = 16
    """Largest file the worker may write (RLIMIT_FSIZE); a bigger write fails with an OSError."""
    processes: int = 64
    """Extra processes and threads the worker may start (RLIMIT_NPROC, set to what this user
    already runs plus this). The kernel does not enforce it for root; 0 leaves it unset."""
    output_chars: int = 20_000
    """Student output kept for the whole check; the rest is counted and dropped."""

    def __post_init__(self) -> None:
        for name in ("call_seconds", "total_seconds", "cpu_seconds", "memory_mb", "file_mb", "output_chars"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                raise ValueError(f"limits.{name} must be a positive number, not {value!r}")
        if isinstance(self.processes, bool) or not isinstance(self.processes, int) or self.processes < 0:
            raise ValueError(f"limits.processes must be a whole number >= 0, not {self.processes!r}")
        for name in ("cpu_seconds", "memory_mb", "file_mb", "output_chars"):
            if getattr(self, name) != int(getattr(self, name)):
                raise ValueError(f"limits.{name} must be a whole number, not {getattr(self, name)!r}")

    def to_worker(self) -> dict[str, int]:
        return {
            "memory_bytes": int(self.memory_mb) * 1024 * 1024,
            "cpu_seconds": int(self.cpu_seconds),
            "file_bytes": int(self.file_mb) * 1024 * 1024,
            "processes": int(self.processes),
        }


class WorkerFailure(BaseException):
    """The worker stopped answering: timeout, crash, exit or a garbled reply.

    A BaseException on purpose: it must stop Hypothesis at once rather than be shrunk,
    because every later call would fail for the same reason and the shrunk input would lie.
    """

    def __init__(self, kind: str, detail: str, exit_code: int | None = None) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.exit_code = exit_code


@dataclass
class Reply:
    ok: bool
    value: Any = None
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    error: dict | None = None
    seconds: float = 0.0
    output: str = ""
    output_dropped: int = 0
    forbidden_attempts: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)


def _scrubbed_environment(tmp: str) -> dict[str, str]:
    keep = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(
        HOME=tmp,
        TMPDIR=tmp,
        PYTHONHASHSEED="0",
        PYTHONDONTWRITEBYTECODE="1",
        # One BLAS thread: predictable timing, and no thread pools left behind.
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
    )
    return env


class Worker:
    """One worker process for one student file. Use as a context manager.

    With `isolation` None the worker runs in the sandbox when this machine has one and as a plain
    process otherwise; Isolation.SANDBOX insists (SandboxUnavailable if there is none) and
    Isolation.NONE never uses it. `isolation` afterwards says which one it got.

    Started with `folder` instead of a submission, the worker is started ahead of a check (see
    SpareWorker): it gets the snapshot of a file in `folder` later, with submit().
    """

    def __init__(
        self,
        limits: Limits,
        forbidden: tuple[str, ...],
        search_path: tuple[str, ...] = (),
        *,
        submission: Submission | None = None,
        provided: tuple[str, ...] = (),
        isolation: Isolation | None = None,
        folder: Path | None = None,
    ) -> None:
        self.limits = limits
        self.forbidden = forbidden
        self.search_path = search_path
        self.submission = submission
        self.folder = submission.folder if submission is not None else folder
        """The student's folder whose files the worker runs (copies, at this path in the sandbox)."""
        self.provided = provided
        """Libraries and data the code may use beyond the standard library and NumPy (torch, tutor.data)."""
        found = support() if isolation is not Isolation.NONE else None
        if isolation is Isolation.SANDBOX and not (found and found.available):
            raise SandboxUnavailable(found.detail if found else "the sandbox was turned off")
        self.isolation = Isolation.SANDBOX if found and found.available else Isolation.NONE
        self._bwrap = found.bwrap if found and found.available else None
        self._sizes = bool(found and found.sizes)
        self.output = ""
        self.output_dropped = 0
        self.forbidden_attempts: list[str] = []
        self.forbidden_elsewhere: list[str] = []
        """Forbidden libraries seen loaded in a process the worker started (not the worker itself)."""
        self._process: subprocess.Popen | ForkedProcess | None = None
        self._tmp = tempfile.mkdtemp(prefix="tutor-worker-")
        # Others may pass through (the sandbox's user reads the copies bound from here) but not list it.
        os.chmod(self._tmp, 0o711)
        self._jail: Jail | None = None
        self._code = Path(self._tmp, "code")
        """Where the sandbox's view of the student's folder comes from (a nursery's, when forked)."""
        self._nursery: Nursery | None = None
        """The nursery this worker was forked from (start_forked)."""
        self._failure: WorkerFailure | None = None
        self._budget_end = float("inf")
        self._greeted = False
        self._capture_read = False
        self._token: str | None = secrets.token_hex(8)
        """In the worker's environment, inherited by whatever it starts: the last sweep in stop()
        finds processes that escaped both the process group and the subreaper tree by it."""
        self.calls = 0
        self.call_seconds = 0.0
        """Calls answered so far and the wall time they took (for the total-budget message)."""
        self.starved_seconds = 0.0
        self._tree: list[int] | None = None
        """The worker's process tree as last looked up (for the run-queue wait of its processes)."""
        """Wall time the worker spent ready to run but waiting for a CPU, added to its deadlines."""

    @property
    def sandboxed(self) -> bool:
        return self.isolation is Isolation.SANDBOX

    def student_path(self, original: Path) -> Path:
        """Where the worker finds the student's file: the private copy, at the original path in
        the sandbox (its folder is bound there) or in the worker's folder without one."""
        if self.submission is None:
            return original
        if self.sandboxed:
            return self.submission.folder / self.submission.main
        return Path(self._tmp, "code", self.submission.main)

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> Worker:
        request_read, self._request_write = os.pipe()
        self._reply_read, reply_write = os.pipe()
        capture = self._open_capture()
        config: dict[str, Any] = {
            "request_fd": request_read,
            "reply_fd": reply_write,
            **self._worker_config(),
        }
        self._budget_end = time.monotonic() + self.limits.total_seconds
        self._tree = None
        try:
            self._process, self._jail = launch(
                self._tmp,
                config,
                provided=self.provided,
                folder=self.folder,
                search_path=self.search_path,
                submission=self.submission,
                token=self._token,
                sandbox=(self._bwrap, self._sizes) if self._bwrap else None,
                pass_fds=(request_read, reply_write),
                output=capture,
            )
        finally:
            os.close(capture)
            os.close(request_read)
            os.close(reply_write)
        return self

    def start_forked(self, nursery: Nursery) -> Worker:
        """Start as a fork of the nursery's warm process (sandboxed, NumPy already imported),
        instead of a new sandbox: the same worker, its pipes and capture file its own. Raises
        NurseryFailure when the nursery cannot fork one (the caller starts a worker as usual)."""
        if not self.sandboxed or self.submission is not None or self.folder != nursery.folder:
            raise ValueError("a nursery forks sandboxed workers started ahead for its own folder only")
        request_read, self._request_write = os.pipe()
        self._reply_read, reply_write = os.pipe()
        capture = self._open_capture()
        config = {**self._worker_config(), "search_path": [str(self.folder)]}
        self._budget_end = time.monotonic() + self.limits.total_seconds
        self._tree = None
        self._token = None  # the nursery's token marks every worker it forks; it sweeps them itself
        self._code = nursery.code
        self._nursery = nursery
        try:
            self._process = nursery.fork(config, (request_read, reply_write, capture))
        except BaseException:
            for fd in (self._request_write, self._reply_read):
                os.close(fd)
            raise
        finally:
            os.close(capture)
            os.close(request_read)
            os.close(reply_write)
        return self

    def _open_capture(self) -> int:
        return os.open(os.path.join(self._tmp, "output.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)

    def _worker_config(self) -> dict[str, Any]:
        return {
            "limits": self.limits.to_worker(),
            "forbidden": list(self.forbidden),
            "output_chars": self.limits.output_chars,
        }

    def submit(self, submission: Submission) -> Worker:
        """Give a worker started ahead (with `folder`) the files it is to run: the grader's own
        snapshot, taken when the file was saved, written into the private folder that the sandbox
        already shows at the student's folder (read-only inside). The worker has run nothing of
        the student's yet, and it reads these files only when asked to load one. From now on it
        is one check's worker, with that check's whole time budget."""
        if self._process is None or self.submission is not None or self.folder is None:
            raise ValueError("only a worker started ahead, and not given its files yet, takes a submission")
        if Path(submission.folder) != Path(self.folder):
            raise ValueError(f"this worker shows {self.folder}, not {submission.folder}")
        code = self._code
        if any(code.iterdir()):
            raise ValueError(f"{code} is not empty: the worker's copy folder was written before the check")
        submission.write(code)
        self.submission = submission
        self._budget_end = time.monotonic() + self.limits.total_seconds
        return self

    def alive(self) -> bool:
        """Started, not stopped, and its process still runs."""
        return self._process is not None and self._process.poll() is None and self._failure is None

    def __enter__(self) -> Worker:
        return self.start() if self._process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def stop(self) -> None:
        """Kill the worker and everything it started, wherever it went. Nothing in the worker
        needs a graceful exit: its results are already here, and its directory is ours to delete."""
        if self._process is None:
            shutil.rmtree(self._tmp, ignore_errors=True)  # never started: only its folder to delete
            return
        self._kill_everything()
        if self._token is not None:
            _kill_marked(self._token)
        if self._nursery is not None:  # what escaped the worker's tree in the nursery's sandbox
            self._nursery.sweep()
        for fd in (self._request_write, self._reply_read):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._read_capture()
        shutil.rmtree(self._tmp, ignore_errors=True)
        if self._jail is not None:
            self._jail.cleanup()
        self._process = None

    def _kill_everything(self) -> None:
        """SIGKILL the worker's process group and every descendant, including those that left the
        group with setsid(): the worker is a child subreaper, so orphans stay in its tree."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            _kill_tree(process.pid)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)

    def _read_capture(self) -> None:
        """C-level output and fatal-error reports that bypassed the Python-level capture (read once)."""
        if self._capture_read:
            return
        self._capture_read = True
        path = os.path.join(self._tmp, "output.txt")
        try:
            with open(path, "rb") as handle:
                raw = handle.read(self.limits.output_chars + 1)
                size = os.fstat(handle.fileno()).st_size
        except OSError:
            return
        text = raw[: self.limits.output_chars].decode("utf-8", "replace")
        if text:
            self._keep_output(text, max(0, size - self.limits.output_chars))

    def _keep_output(self, text: str, dropped: int) -> None:
        """Keep at most `output_chars` for the whole check; count the rest."""
        text = printable(text)
        room = max(0, self.limits.output_chars - len(self.output))
        self.output += text[:room]
        self.output_dropped += dropped + max(0, len(text) - room)

    # -- the forbidden-library check that the worker cannot lie about ----------------------------
    def loaded_forbidden_libraries(self) -> list[str]:
        """Forbidden libraries mapped into the worker or a process it started (and that still
        runs), read from /proc by this process: nothing the student's code does can hide them."""
        if self._process is None:
            return []
        found: list[str] = []
        for pid in [self._process.pid, *_descendants(self._process.pid)]:
            found.extend(m for m in self._forbidden_in(pid) if m not in found)
        return found

    def _forbidden_in(self, pid: int) -> list[str]:
        if not sys.platform.startswith("linux"):
            return []
        try:
            maps = Path(f"/proc/{pid}/maps").read_text(errors="replace")
        except OSError:
            return []
        return [
            module
            for module in self.forbidden
            if any(marker in maps for marker in FORBIDDEN_LIBRARY_MARKERS.get(module, ()))
        ]

    def _watch_descendants(self) -> None:
        """While a call runs long, look for a forbidden library in the processes it started
        (e.g. `subprocess.run([sys.executable, "-c", "import torch ..."])`)."""
        if self._process is None or not self.forbidden:
            return
        for pid in _descendants(self._process.pid):
            found = self._forbidden_in(pid)
            if found:
                self.forbidden_elsewhere.extend(m for m in found if m not in self.forbidden_elsewhere)
                self._kill_everything()
                self._fail(WorkerFailure("forbidden", found[0]))

    # -- requests ----------------------------------------------------------------------------------
    def ping(self) -> Reply:
        return self._request({"op": "ping"}, [])

    def load(self, path: Path, module: str, functions: tuple[str, ...]) -> Reply:
        return self._request(
            {"op": "load", "path": str(path), "module": module, "functions": list(functions)}, []
        )

    def call(self, function: str, args: tuple, kwargs: dict) -> Reply:
        encoded_args, buffers = wire.encode_value(tuple(args))
        encoded_kwargs, more = _encode_with_offset(kwargs, len(buffers))
        started = time.monotonic()
        reply = self._request(
            {"op": "call", "function": function, "args": encoded_args, "kwargs": encoded_kwargs},
            buffers + more,
        )
        self.calls += 1
        self.call_seconds += time.monotonic() - started
        return reply

    def _request(self, message: dict, buffers: list[bytes]) -> Reply:
        if self._failure is not None:
            raise self._failure
        if self._process is None:
            self.start()
        now = time.monotonic()
        if now >= self._budget_end:
            self._kill_everything()
            self._fail(
                WorkerFailure("budget", f"the check used its {self.limits.total_seconds:g} s in total")
            )
        deadlines = [now + self.limits.call_seconds, self._budget_end]
        extend = self._starvation_extension(deadlines)
        try:
            wire.send(self._request_write, message, buffers)
        except OSError:
            if not self._greeted:
                self._await_hello(min(deadlines), extend)  # reports why it never started
            self._fail_from_exit()
        if not self._greeted:
            self._await_hello(min(deadlines), extend)
        try:
            reply, reply_buffers = _receive_by(
                self._reply_read, min(deadlines), self._watch_descendants, extend=extend
            )
        except TimeoutError:
            self._kill_everything()
            waited = (
                f" (not counting {self.starved_seconds:.1f} s spent waiting for a busy CPU)"
                if self.starved_seconds >= _STARVATION_STEP
                else ""
            )
            if deadlines[1] < deadlines[0]:
                self._fail(
                    WorkerFailure(
                        "budget", f"the check used its {self.limits.total_seconds:g} s in total{waited}"
                    )
                )
            self._fail(WorkerFailure("timeout", f"no answer within {self.limits.call_seconds:g} s{waited}"))
        except wire.ChannelClosed:
            self._fail_from_exit()
        except wire.WireError as error:
            self._kill_everything()
            self._fail(
                WorkerFailure(
                    "garbled", f"it wrote an invalid message on the tutor's private channel ({error})"
                )
            )
        try:
            return self._parse(reply, reply_buffers)
        except (wire.WireError, TypeError, ValueError, KeyError, AttributeError) as error:
            self._kill_everything()
            self._fail(
                WorkerFailure(
                    "garbled", f"it wrote an invalid message on the tutor's private channel ({error})"
                )
            )
        raise AssertionError("unreachable")  # pragma: no cover - _fail always raises

    def _starvation_extension(self, deadlines: list[float]) -> Callable[[], float]:
        """What _receive_by asks when a deadline passes: the seconds to add to `deadlines` (the
        call's and the check's, updated in place) for the time the worker waited for a CPU.

        A busy machine must not turn a fast-enough solution into a timeout. The grant is capped
        at the total budget once over, so a check can at most take twice its budget.
        """
        starved = self._starvation_clock()

        def extend() -> float:
            granted = min(starved(), self.limits.total_seconds - self.starved_seconds)
            if granted < _STARVATION_STEP:
                return 0.0
            self.starved_seconds += granted
            self._budget_end += granted
            deadlines[0] += granted
            deadlines[1] = self._budget_end
            return granted

        return extend

    def _starvation_clock(self) -> Callable[[], float]:
        """A function giving the seconds, since now and not yet returned, that the worker's
        processes spent runnable but waiting for a CPU (the most any one of them waited).

        Made for every request, so the baseline reads only the process tree seen last time (a few
        schedstat files); the whole tree is looked up again only when a deadline passes. A process
        born since then counts all its waiting, which all happened during this request.
        """
        root = self.pid
        if root is None:
            return lambda: 0.0
        if self._tree is None and self._greeted:
            self._tree = [root, *_descendants(root)]
        counted = {pid: _runqueue_wait(pid) for pid in self._tree or [root]}

        def starved() -> float:
            self._tree = [root, *_descendants(root)]
            now = {pid: _runqueue_wait(pid) for pid in self._tree}
            growth = max((wait - counted.get(pid, 0.0) for pid, wait in now.items()), default=0.0)
            counted.update(now)
            return max(growth, 0.0)

        return starved

    def _await_hello(self, deadline: float, extend: Callable[[], float] | None = None) -> None:
        """The worker says hello once NumPy is imported and its guards are in place. Until then
        nothing of the student's has run, so a failure here is the tutor's (or its limits')."""
        process = self._process
        assert process is not None
        try:
            hello, _ = _receive_by(self._reply_read, deadline, extend=extend)
        except TimeoutError:
            self._kill_everything()
            self._fail(WorkerFailure("startup", f"it did not start within {self.limits.call_seconds:g} s"))
        except wire.WireError:
            self._kill_everything()
            code = process.poll()
            self._read_capture()
            # The sandbox's own complaint (bwrap, or the root launcher), if it never started the worker.
            complaint = describe_failure(self.output) if self.sandboxed else None
            self._fail(
                WorkerFailure(
                    "startup",
                    complaint
                    or (f"it stopped with exit code {code}" if code is not None else "it closed its channel"),
                )
            )
        if hello.get("op") != "hello":
            self._kill_everything()
            found = hello.get("error")
            error: dict = found if isinstance(found, dict) else {}
            self._fail(
                WorkerFailure("startup", str(error.get("message", "an unexpected first message"))[:300])
            )
        self._greeted = True

    def _parse(self, reply: dict, reply_buffers: list[bytes]) -> Reply:
        """Turn a reply into a Reply; anything malformed raises (the caller reports tampering)."""
        output = reply.get("output") or {}
        if not isinstance(output, dict):
            raise wire.WireError("output is not an object")
        self._keep_output(str(output.get("text", "")), int(output.get("dropped", 0) or 0))
        attempts = tuple(str(a) for a in reply.get("forbidden_attempts", []) or [])
        self.forbidden_attempts.extend(a for a in attempts if a not in self.forbidden_attempts)
        error = reply.get("error")
        result = Reply(
            ok=reply.get("ok") is True,
            error=_printable_strings(error) if isinstance(error, dict) else None,
            seconds=float(reply.get("seconds", 0.0) or 0.0),
            forbidden_attempts=attempts,
            extra={k: v for k, v in reply.items() if k in ("found", "module_names", "aliases")},
        )
        if result.ok and "result" in reply:
            decoded = wire.decode_value(reply["result"], reply_buffers)
            if not isinstance(decoded, dict):
                raise wire.WireError("the result is not an object")
            result.value = decoded.get("value")
            result.args = tuple(decoded.get("args") or ())
            result.kwargs = dict(decoded.get("kwargs") or {})
        return result

    def _fail(self, failure: WorkerFailure) -> NoReturn:
        self._failure = failure
        raise failure

    def _fail_from_exit(self) -> NoReturn:
        process = self._process
        assert process is not None
        try:
            code = process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            # Alive but the channel is closed: the student's code closed the tutor's pipe.
            self._kill_everything()
            self._read_capture()
            self._fail(WorkerFailure("garbled", "it closed the tutor's private channel"))
        self._kill_everything()  # the worker is gone; whatever it started goes too
        self._read_capture()
        number = exit_signal(code, self.sandboxed)
        if number is not None:
            name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
            kind = "cpu" if name == "SIGXCPU" else "crashed"
            self._fail(WorkerFailure(kind, f"the process was killed by {name}", code))
        self._fail(WorkerFailure("exited", f"the process exited with exit code {code}", code))


def launch(
    tmp: str,
    config: dict[str, Any],
    *,
    provided: tuple[str, ...],
    folder: Path | None,
    search_path: tuple[str, ...],
    submission: Submission | None,
    token: str | None,
    sandbox: tuple[str, bool] | None,
    pass_fds: tuple[int, ...],
    output: int,
    init: bool = False,
) -> tuple[subprocess.Popen, Jail | None]:
    """Start the worker program (a worker, or a nursery of workers) with `config`, in the
    sandbox when `sandbox` is (bwrap, whether it knows --size), else as a plain process.

    `tmp` is the caller's private folder: the runtime is written to tmp/runtime and the student's
    files to tmp/code (the submission's now, or, with `folder`, later), which the sandbox shows at
    the student's folder. stdout and stderr go to `output`; `pass_fds` stay open in the child.
    `init`: in the sandbox, the program is its PID 1 (Jail.init).
    """
    runtime = Path(tmp, "runtime")
    write_runtime(runtime, provided)
    code = Path(tmp, "code")
    if submission is not None:
        submission.write(code)
    elif folder is not None:
        code.mkdir()  # empty until submit(); readable by the sandbox's user, writable by us only
        os.chmod(code, 0o755)
    environment = _scrubbed_environment(TMP_DIR if sandbox else tmp)
    if token is not None:
        environment[WORKER_TOKEN] = token
    options: dict[str, Any] = {"env": environment}
    jail = None
    if sandbox:
        libraries = ("numpy", *(m for m in provided if m != "tutor.data"))
        binds, python_path = package_mounts(libraries)
        jail = Jail(bwrap=sandbox[0], binds=[(str(runtime), RUNTIME_DIR)], sizes=sandbox[1], init=init)
        if folder is not None:
            jail.binds.append((str(code), str(folder)))
            config["search_path"] = [str(folder)]
        else:
            config["search_path"] = list(search_path)
        jail.binds += [(path, path) for path in binds]
        config["python_path"] = list(python_path)
        inner = [interpreter(), "-I", "-c", _BOOTSTRAP, RUNTIME_DIR, json.dumps(config)]
        command, options = jail.command(inner, environment)
        cwd = None
    else:
        home = os.path.join(tmp, "home")
        os.makedirs(home)
        environment.update(HOME=home, TMPDIR=home)
        config["search_path"] = [str(code)] if folder is not None else list(search_path)
        command = [sys.executable, "-I", "-c", _BOOTSTRAP, str(runtime), json.dumps(config)]
        cwd = home
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=output,
        stderr=output,
        pass_fds=pass_fds,
        start_new_session=True,
        close_fds=True,
        **options,
    )
    return process, jail


@dataclass(frozen=True)
class WorkerKind:
    """What a worker is started with before the student's file is known. A worker started ahead
    serves a check that asks for the same kind, and no other."""

    limits: Limits
    forbidden: tuple[str, ...]
    provided: tuple[str, ...]
    folder: Path
    """The folder of the file to be checked: the worker shows its snapshot at this path."""
    isolation: Isolation | None = None

    def start(self) -> Worker:
        return Worker(
            self.limits, self.forbidden, provided=self.provided, isolation=self.isolation, folder=self.folder
        ).start()


class WorkerSource(Protocol):
    """Where a check may find a worker made ready for it (SpareWorker, Nursery)."""

    def take(self, kind: WorkerKind) -> Worker | None: ...


class SpareWorker:
    """A pool of one: a worker started ahead of the next check, so that a check finds NumPy
    already imported and its guards in place (watch mode starts one while the student edits).

    It holds no student code: the check takes it, then gives it the snapshot of the files it
    read at save time (Worker.submit). A worker is used for one check only. Close the pool when
    done: a spare that was never used is stopped as any worker is, with everything it started.
    """

    def __init__(self) -> None:
        self._worker: Worker | None = None
        self._kind: WorkerKind | None = None

    def prepare(self, kind: WorkerKind) -> None:
        """Have a worker of this kind ready (one of another kind is stopped). Best effort: when
        none can be started, the check starts its own and reports why that fails."""
        if self._worker is not None and self._kind == kind and self._worker.alive():
            return
        self.close()
        try:
            self._worker, self._kind = kind.start(), kind
        except (OSError, subprocess.SubprocessError, SandboxUnavailable, ValueError):
            self._worker, self._kind = None, None

    def take(self, kind: WorkerKind) -> Worker | None:
        """The spare worker, if it is of this kind and still running (it is no longer the pool's)."""
        worker, made = self._worker, self._kind
        self._worker, self._kind = None, None
        if worker is None:
            return None
        if made != kind or not worker.alive():
            worker.stop()
            return None
        return worker

    @property
    def pid(self) -> int | None:
        """The spare worker's process id (None when there is none)."""
        return self._worker.pid if self._worker is not None else None

    def close(self) -> None:
        worker, self._worker, self._kind = self._worker, None, None
        if worker is not None:
            worker.stop()

    def __enter__(self) -> SpareWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Terminal control characters: C0 (but tab and newline), DEL, C1 (e.g. the one-byte CSI U+009B),
# and the bidirectional overrides that make text read differently from what it is.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text from the student's code made safe to show: control characters are spelled out
    (ESC becomes \\x1b), so printed output cannot clear the screen or repaint the verdict."""
    text = text.replace("\r\n", "\n")
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def _printable_strings(value: Any) -> Any:
    """Every string in a reply's error description, made printable (messages, frames, code)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {k: _printable_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable_strings(v) for v in value]
    return value


def process_state(pid: int) -> tuple[str, int] | None:
    """(state letter, parent pid) from /proc/PID/stat; None when the process is gone (or no Linux)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return None
    # The command name is in parentheses and may itself contain spaces or parentheses.
    fields = stat[stat.rfind(b")") + 2 :].split()
    if len(fields) < 2:
        return None
    return fields[0].decode("ascii", "replace"), int(fields[1])


def running(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    state = process_state(pid)
    return state is not None and state[0] not in ("Z", "X")


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return children
    for entry in entries:
        if entry.isdigit() and (state := process_state(int(entry))) is not None:
            children.setdefault(state[1], []).append(int(entry))
    return children


def _descendants(pid: int) -> list[int]:
    """Every process below `pid`, as the kernel's parent links say (Linux only)."""
    if not sys.platform.startswith("linux"):
        return []
    if not _CHILDREN_FILES:
        return _descendants_by_scan(pid)
    found: list[int] = []
    seen = {pid}
    todo = [pid]
    while todo:
        for child in _children_of(todo.pop()):
            if child not in seen:
                seen.add(child)
                found.append(child)
                todo.append(child)
    return found


def _children_of(pid: int) -> list[int]:
    """The children of every thread of `pid` (/proc/PID/task/TID/children): a walk down one tree
    reads a few files instead of every process's stat file."""
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    children: list[int] = []
    for thread in threads:
        try:
            with open(f"/proc/{pid}/task/{thread}/children", "rb") as handle:
                children.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return children


def _descendants_by_scan(pid: int) -> list[int]:
    """_descendants from every process's parent field (kernels without the children files)."""
    children = _children_map()
    found: list[int] = []
    todo = list(children.get(pid, []))
    while todo:
        child = todo.pop()
        if child not in found:
            found.append(child)
            todo.extend(children.get(child, []))
    return found


_CHILDREN_FILES = os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
"""Whether this kernel has /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN)."""


def _kill_tree(pid: int) -> None:
    """Stop every descendant (so none can fork again), then SIGKILL them all and the root."""
    stopped: set[int] = set()
    for _ in range(20):  # each round catches what was forked during the previous one
        fresh = [p for p in _descendants(pid) if p not in stopped]
        if not fresh:
            break
        for child in fresh:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(child, signal.SIGSTOP)
            stopped.add(child)
    for target in [*stopped, pid]:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(target, signal.SIGKILL)


def _kill_marked(token: str) -> None:
    """SIGKILL every process of ours whose environment carries this worker's token."""
    if not sys.platform.startswith("linux"):
        return
    marker = f"{WORKER_TOKEN}={token}".encode()
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                environ = handle.read()
        except OSError:  # gone, or not ours to read
            continue
        if marker in environ.split(b"\0"):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(int(entry), signal.SIGKILL)


def _encode_with_offset(value: Any, offset: int) -> tuple[Any, list[bytes]]:
    encoded, buffers = wire.encode_value(value)

    def shift(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("t") == "nd":
                return {**node, "buf": node["buf"] + offset}
            return {k: shift(v) for k, v in node.items()}
        if isinstance(node, list):
            return [shift(v) for v in node]
        return node

    return shift(encoded), buffers


# While a call is still running after this long, the grader starts looking at what it started.
_WATCH_AFTER = 0.2
# Waits for a CPU shorter than this are noise, not a busy machine.
_STARVATION_STEP = 0.05


def _runqueue_wait(pid: int) -> float:
    """Seconds this process has spent runnable but waiting for a CPU (Linux's schedstat: the
    second field, in nanoseconds). 0 where the kernel does not say, or the process is gone."""
    try:
        with open(f"/proc/{pid}/schedstat", encoding="ascii") as stream:
            return int(stream.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


def _receive_by(
    fd: int,
    deadline: float,
    while_waiting: Callable[[], None] | None = None,
    extend: Callable[[], float] | None = None,
) -> tuple[dict, list[bytes]]:
    """wire.receive with a deadline on every read, so a half-written reply cannot hang us.

    `while_waiting` runs every _WATCH_AFTER seconds while nothing arrives. When the deadline
    passes, `extend` may grant more seconds (0: it is over).
    """

    def wait_readable() -> None:
        nonlocal deadline
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                granted = extend() if extend is not None else 0.0
                if granted <= 0:
                    raise TimeoutError
                deadline += granted
                continue
            step = remaining if while_waiting is None else min(remaining, _WATCH_AFTER)
            ready, _, _ = select.select([fd], [], [], step)
            if ready:
                return
            if while_waiting is not None:
                while_waiting()

    return wire.receive(fd, before_read=wait_readable)


# The worker is started with -I and a bootstrap that puts its runtime folder (the copied worker
# and wire modules) first on sys.path. The tutor package is never on it.
_BOOTSTRAP = "import sys; sys.path.insert(0, sys.argv.pop(1)); import _tutor_worker; _tutor_worker.main()"

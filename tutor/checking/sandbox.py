"""Grader side of the worker: start it with limits, call it with deadlines, kill it for good.

The worker runs in its own session (so its whole process group can be killed), in a fresh
temporary directory, with a scrubbed environment. Replies come back on a private pipe; the
student's stdout/stderr go to a capture file that is read back with a size cap.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.checking import wire

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


@dataclass(frozen=True)
class Limits:
    """Resource limits for one worker. Defaults suit NumPy exercises on a laptop or a CI runner."""

    call_seconds: float = 10.0
    """Wall time for one call (or for importing the student's file)."""
    cpu_seconds: int = 120
    """CPU time for the whole worker."""
    memory_mb: int = 2048
    """Address space of the worker (RLIMIT_AS)."""
    file_mb: int = 16
    """Largest file the worker may write."""
    processes: int = 0
    """RLIMIT_NPROC; 0 leaves it unset (it counts every process of the user, so it is opt-in)."""
    output_chars: int = 20_000
    """Student output kept per call; the rest is counted and dropped."""

    def to_worker(self) -> dict[str, int]:
        return {
            "memory_bytes": self.memory_mb * 1024 * 1024,
            "cpu_seconds": self.cpu_seconds,
            "file_bytes": self.file_mb * 1024 * 1024,
            "processes": self.processes,
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
    """One worker process for one student file. Use as a context manager."""

    def __init__(self, limits: Limits, forbidden: tuple[str, ...], search_path: tuple[str, ...] = ()) -> None:
        self.limits = limits
        self.forbidden = forbidden
        self.search_path = search_path
        self.output = ""
        self.output_dropped = 0
        self.forbidden_attempts: list[str] = []
        self._process: subprocess.Popen | None = None
        self._tmp = tempfile.mkdtemp(prefix="tutor-worker-")
        self._failure: WorkerFailure | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> Worker:
        request_read, self._request_write = os.pipe()
        self._reply_read, reply_write = os.pipe()
        config = {
            "request_fd": request_read,
            "reply_fd": reply_write,
            "capture_path": os.path.join(self._tmp, "output.txt"),
            "limits": self.limits.to_worker(),
            "forbidden": list(self.forbidden),
            "search_path": list(self.search_path),
            "output_chars": self.limits.output_chars,
        }
        package_root = str(Path(__file__).resolve().parents[2])
        # -I would drop the path to the tutor package in a source checkout; -E -s keep the
        # interpreter free of PYTHON* variables and user site-packages, and we add back our root.
        command = [sys.executable, "-E", "-s", "-c", _BOOTSTRAP, package_root, json.dumps(config)]
        self._process = subprocess.Popen(
            command,
            cwd=self._tmp,
            env=_scrubbed_environment(self._tmp),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(request_read, reply_write),
            start_new_session=True,
            close_fds=True,
        )
        os.close(request_read)
        os.close(reply_write)
        return self

    def __enter__(self) -> Worker:
        return self.start() if self._process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def stop(self) -> None:
        """Say goodbye, then kill the whole process group whatever the worker left behind."""
        if self._process is None:
            return
        process = self._process
        if process.poll() is None and self._failure is None:
            try:
                wire.send(self._request_write, {"op": "bye"})
            except OSError:
                pass
            try:
                process.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                pass
        self._kill_group()
        for fd in (self._request_write, self._reply_read):
            try:
                os.close(fd)
            except OSError:
                pass
        self._read_capture()
        shutil.rmtree(self._tmp, ignore_errors=True)
        self._process = None

    def _kill_group(self) -> None:
        process = self._process
        if process is None:
            return
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def _read_capture(self) -> None:
        """C-level output and fatal-error reports that bypassed the Python-level capture."""
        path = os.path.join(self._tmp, "output.txt")
        try:
            with open(path, "rb") as handle:
                raw = handle.read(self.limits.output_chars + 1)
                size = os.fstat(handle.fileno()).st_size
        except OSError:
            return
        text = raw[: self.limits.output_chars].decode("utf-8", "replace")
        if text:
            self.output += text
            self.output_dropped += max(0, size - self.limits.output_chars)

    # -- the forbidden-library check that the worker cannot lie about ----------------------------
    def loaded_forbidden_libraries(self) -> list[str]:
        if self._process is None or not sys.platform.startswith("linux"):
            return []
        try:
            maps = Path(f"/proc/{self._process.pid}/maps").read_text(errors="replace")
        except OSError:
            return []
        return [
            module
            for module in self.forbidden
            if any(marker in maps for marker in FORBIDDEN_LIBRARY_MARKERS.get(module, ()))
        ]

    # -- requests ----------------------------------------------------------------------------------
    def load(self, path: Path, module: str, functions: tuple[str, ...]) -> Reply:
        return self._request({"op": "load", "path": str(path), "module": module, "functions": list(functions)}, [])

    def call(self, function: str, args: tuple, kwargs: dict) -> Reply:
        encoded_args, buffers = wire.encode_value(tuple(args))
        encoded_kwargs, more = _encode_with_offset(kwargs, len(buffers))
        return self._request(
            {"op": "call", "function": function, "args": encoded_args, "kwargs": encoded_kwargs},
            buffers + more,
        )

    def _request(self, message: dict, buffers: list[bytes]) -> Reply:
        if self._failure is not None:
            raise self._failure
        if self._process is None:
            self.start()
        try:
            wire.send(self._request_write, message, buffers)
        except OSError:
            self._fail_from_exit()
        deadline = time.monotonic() + self.limits.call_seconds
        try:
            reply, reply_buffers = _receive_by(self._reply_read, deadline)
        except TimeoutError:
            self._kill_group()
            self._fail(WorkerFailure("timeout", f"no answer within {self.limits.call_seconds:g} s"))
        except wire.ChannelClosed:
            self._fail_from_exit()
        except (wire.WireError, ValueError, KeyError) as error:
            self._kill_group()
            self._fail(WorkerFailure("garbled", f"the worker sent an invalid reply ({error})"))
        output = reply.get("output") or {}
        self.output += str(output.get("text", ""))[: self.limits.output_chars]
        self.output_dropped += int(output.get("dropped", 0) or 0)
        attempts = tuple(str(a) for a in reply.get("forbidden_attempts", []))
        self.forbidden_attempts.extend(a for a in attempts if a not in self.forbidden_attempts)
        result = Reply(
            ok=bool(reply.get("ok")),
            error=reply.get("error") if isinstance(reply.get("error"), dict) else None,
            seconds=float(reply.get("seconds", 0.0) or 0.0),
            forbidden_attempts=attempts,
            extra={k: v for k, v in reply.items() if k in ("found", "module_names")},
        )
        if result.ok and "result" in reply:
            decoded = wire.decode_value(reply["result"], reply_buffers)
            if not isinstance(decoded, dict):
                self._fail(WorkerFailure("garbled", "the worker sent an invalid reply"))
            result.value = decoded.get("value")
            result.args = tuple(decoded.get("args") or ())
            result.kwargs = dict(decoded.get("kwargs") or {})
        return result

    def _fail(self, failure: WorkerFailure) -> None:
        self._failure = failure
        raise failure

    def _fail_from_exit(self) -> None:
        process = self._process
        assert process is not None
        try:
            code = process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._kill_group()
            code = process.returncode
        self._read_capture()
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
            kind = "cpu" if name == "SIGXCPU" else "crashed"
            self._fail(WorkerFailure(kind, f"the process was killed by {name}", code))
        self._fail(WorkerFailure("exited", f"the process exited with code {code}", code))


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


def _receive_by(fd: int, deadline: float) -> tuple[dict, list[bytes]]:
    """wire.receive with a deadline on every read, so a half-written reply cannot hang us."""

    def wait_readable() -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            raise TimeoutError

    return wire.receive(fd, before_read=wait_readable)


# The worker is started with -E -s and a bootstrap that puts the tutor package on sys.path, then
# runs the worker module. Kept as a string so the command line is self-contained.
_BOOTSTRAP = (
    "import sys; root = sys.argv.pop(1); "
    "sys.path.insert(0, root) if root not in sys.path else None; "
    "from tutor.checking import worker; worker.main()"
)

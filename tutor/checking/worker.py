"""The worker process: imports one student file and answers calls on a private pipe.

This file is not imported from the tutor package where it runs: tutor.checking.sandbox copies it,
with wire.py, into the worker's runtime folder as `_tutor_worker.py` and `_tutor_wire.py`, and
starts `python -I -c BOOTSTRAP CONFIG_JSON` in the sandbox (see tutor.checking.isolation). It
never decides a verdict: it only reports what the student's code returned, raised or printed,
and the grader (another process) judges that. Everything here assumes the code it runs is
hostile, so it keeps its own state small and sends nothing but plain data.

Imports are limited to the standard library, NumPy and its sibling `_tutor_wire`, so that
starting a worker costs a NumPy import and nothing more.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys


def _tasks_of_this_user() -> int:
    """Processes and threads the kernel already counts against this user's RLIMIT_NPROC."""
    uid = os.getuid()
    count = 0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
        except (OSError, ValueError):
            continue
        try:
            if int(fields.get("Uid", "-1").split()[0]) == uid:
                count += int(fields.get("Threads", "1"))
        except ValueError:
            continue
    return count


def _apply_limits(limits: dict) -> None:
    """Set the kernel limits. Each one is best effort: the grader's wall clock always applies."""
    import resource

    def clamp(kind: int, soft: int, hard: int | None = None) -> None:
        # Refused e.g. above an existing hard limit: the stricter one already applies.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(kind, (soft, soft if hard is None else hard))

    if limits.get("memory_bytes"):
        clamp(resource.RLIMIT_AS, int(limits["memory_bytes"]))
    if limits.get("cpu_seconds"):
        # The soft limit sends SIGXCPU (which kills by default); the hard one SIGKILLs a second later.
        soft = int(limits["cpu_seconds"])
        clamp(resource.RLIMIT_CPU, soft, soft + 1)
    if limits.get("file_bytes"):
        clamp(resource.RLIMIT_FSIZE, int(limits["file_bytes"]))
    if limits.get("processes"):
        # RLIMIT_NPROC counts every task (process or thread) of the user, not of this worker, so
        # the limit is what is running now plus the allowance. The kernel ignores it for root.
        clamp(resource.RLIMIT_NPROC, _tasks_of_this_user() + int(limits["processes"]))
    clamp(resource.RLIMIT_CORE, 0)


def _become_subreaper() -> None:
    """Orphans of anything the student starts are re-parented to this worker instead of init,
    even after setsid() and a double fork, so the grader can find and kill them (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


class _BoundedText:
    """Stands in for sys.stdout/sys.stderr: keeps the first `limit` characters, counts the rest."""

    def __init__(self, stream_name: str, shared: dict, limit: int) -> None:
        self.name = stream_name
        self._shared = shared
        self._limit = limit

    def write(self, text: str) -> int:
        text = str(text)
        kept = self._shared["kept"]
        room = self._limit - len(kept)
        if room > 0:
            self._shared["kept"] = kept + text[:room]
        self._shared["dropped"] += max(0, len(text) - max(room, 0))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return 1 if self.name == "stdout" else 2

    @property
    def encoding(self) -> str:
        return "utf-8"


class _ImportBlocker:
    """A meta-path finder that refuses the modules that would do the exercise for the student."""

    def __init__(self, forbidden: list[str], attempts: list[str]) -> None:
        self.forbidden = forbidden
        self.attempts = attempts

    def refuse(self, fullname: str) -> None:
        for name in self.forbidden:
            if fullname == name or fullname.startswith(name + "."):
                self.attempts.append(fullname)
                raise ImportError(
                    f"importing {fullname!r} is not allowed in this exercise: write it with NumPy",
                    name=fullname,
                )

    def find_spec(self, fullname: str, path=None, target=None):  # noqa: ANN001 - importlib protocol
        self.refuse(fullname)
        return None

    def guard_import_functions(self) -> None:
        """Check the full requested name before Python resolves it, so that `from scipy import
        signal` or import_module("scipy.ndimage") is refused even when scipy is not installed
        (the meta-path finder alone would only see the parent, "scipy", and say "not found")."""
        import builtins
        import importlib

        original_import = builtins.__import__
        original_import_module = importlib.import_module

        def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):  # noqa: ANN001, ANN202, A002
            if level == 0 and isinstance(name, str) and name:
                self.refuse(name)
                for item in fromlist or ():
                    if isinstance(item, str) and item != "*":
                        self.refuse(f"{name}.{item}")
            return original_import(name, globals, locals, fromlist, level)

        def guarded_import_module(name, package=None):  # noqa: ANN001, ANN202
            if isinstance(name, str) and not name.startswith("."):
                self.refuse(name)
            return original_import_module(name, package)

        builtins.__import__ = guarded_import
        importlib.import_module = guarded_import_module


def _student_frames(tb, student_paths: set[str]) -> list[dict]:
    """Frames in the student's file or in any module next to it (their own helpers)."""
    import traceback

    folders = {os.path.dirname(p) for p in student_paths}
    frames = []
    for frame in traceback.extract_tb(tb):
        real = os.path.realpath(frame.filename)
        if real in student_paths or os.path.dirname(real) in folders:
            frames.append(
                {
                    "file": frame.filename,
                    "line": frame.lineno,
                    "function": frame.name,
                    "code": frame.line or "",
                    "own": real in student_paths,
                }
            )
    return frames[-6:]


def _describe_error(error: BaseException, student_paths: set[str], attempts: list[str]) -> dict:
    described = {
        "type": type(error).__name__,
        "message": str(error)[:2000],
        "frames": _student_frames(error.__traceback__, student_paths),
        "forbidden": list(dict.fromkeys(attempts)),
    }
    if isinstance(error, SystemExit):
        described["exit_code"] = repr(error.code)
    if isinstance(error, ImportError) and isinstance(error.name, str):
        described["module"] = error.name[:200]
    if isinstance(error, SyntaxError):
        described["line"] = error.lineno
        described["text"] = (error.text or "").rstrip()
    return described


def _shared_inputs(value, args: tuple, kwargs: dict) -> list[str]:  # noqa: ANN001 - any student value
    """Positions ("0", "1", …) and keyword names of the array inputs the returned array overlaps."""
    import numpy as np

    if not isinstance(value, np.ndarray):
        return []
    named = [(str(i), a) for i, a in enumerate(args)] + [(str(k), a) for k, a in kwargs.items()]
    try:
        return [name for name, a in named if isinstance(a, np.ndarray) and np.may_share_memory(value, a)]
    except Exception:  # noqa: BLE001 - an ndarray subclass from student code may misbehave
        return []


def _parameters(function) -> list[dict] | None:
    import inspect

    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return None
    return [
        {"name": p.name, "kind": p.kind.name, "has_default": p.default is not inspect.Parameter.empty}
        for p in signature.parameters.values()
    ]


def _report_startup_failure(reply_fd: int, error: BaseException) -> None:
    """Before NumPy and the wire module exist: one hand-framed reply saying why the worker
    could not start, read by the grader as the answer to its first request."""
    import struct

    message = {
        "ok": False,
        "startup": True,
        "error": {
            "type": type(error).__name__,
            "message": f"the worker could not start: {error}"[:500],
            "frames": [],
        },
    }
    body = json.dumps(message).encode()
    with contextlib.suppress(OSError):
        os.write(reply_fd, struct.pack("<II", len(body), 0) + body)


def _set_dumpable(dumpable: bool) -> None:
    """PR_SET_DUMPABLE. A process that is not dumpable cannot be traced, nor its memory read
    through /proc, by the other processes of its (capability-less) user: the nursery's students."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, int(dumpable), 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _clear_folder(folder: str) -> None:
    """Delete what is in `folder` (the sandbox's private /tmp), whatever its permissions and depth:
    best effort. Mount points in it (the student's folder, when it lives under /tmp) are left."""
    import stat

    try:
        device = os.lstat(folder).st_dev
    except OSError:
        return
    # Depth first without recursion: a folder is removed once everything in it is.
    pending, emptied = [folder], []
    while pending:
        path = pending.pop()
        with contextlib.suppress(OSError):
            os.chmod(path, 0o700)
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISDIR(info.st_mode):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
            elif info.st_dev == device:
                pending.append(entry.path)
                emptied.append(entry.path)
    for path in reversed(emptied):
        with contextlib.suppress(OSError):
            os.rmdir(path)


def _nurse(control_fd: int) -> None:
    """Be the nursery of one workspace's grading: import NumPy once, then fork one fresh worker
    per check when the grader asks (tutor.checking.nursery). Never runs student code itself.

    The grader sends {"op": "fork", "config": ...} with the new worker's request and reply pipes
    and its capture file (SCM_RIGHTS). Before each fork, everything the earlier workers left in
    the sandbox is killed (kill(-1) reaches every process of this PID namespace but its init and
    us) and /tmp is emptied, so each check starts as a fresh worker would. The child tells the
    grader it exists on the control socket, where the kernel stamps its PID as the grader sees
    it, then closes the socket and becomes an ordinary worker. Exits are reported as
    {"op": "exited", "pid", "code"}. None of this is trusted for a verdict: the grader kills by
    its own view of /proc, and a worker's replies are judged as any worker's are.
    """
    import select
    import signal
    import socket
    import stat  # noqa: F401 - imported before the first fork (see _clear_folder)

    control = socket.socket(fileno=control_fd)

    def tell(message: dict) -> None:
        with contextlib.suppress(OSError):
            control.send(json.dumps(message).encode())

    try:
        import _tutor_wire  # noqa: F401 - inherited by every worker
        import numpy  # noqa: F401
    except BaseException as error:  # noqa: BLE001 - e.g. NumPy missing from the sandbox
        tell({"op": "failed", "message": f"the nursery could not start: {error}"[:500]})
        os._exit(3)
    _set_dumpable(False)
    _become_subreaper()
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_write)
    forked: set[int] = set()

    def reap(block: bool = False) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, 0 if block else os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid in forked:
                forked.discard(pid)
                tell({"op": "exited", "pid": pid, "code": os.waitstatus_to_exitcode(status)})

    def sweep() -> None:
        for _ in range(100):
            try:
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                break
            reap(block=True)
        reap()
        _clear_folder("/tmp")
        _clear_folder("/dev/shm")

    tell({"op": "hello", "pid": os.getpid()})
    while True:
        ready, _, _ = select.select([control.fileno(), wake_read], [], [])
        if wake_read in ready:
            with contextlib.suppress(OSError):
                os.read(wake_read, 512)
            reap()
        if control.fileno() not in ready:
            continue
        try:
            data, fds, _, _ = socket.recv_fds(control, 65536, 3)
        except OSError:
            os._exit(0)
        if not data:  # the grader is gone
            os._exit(0)
        try:
            request = json.loads(data)
            config = request["config"]
            if request.get("op") != "fork" or len(fds) != 3 or not isinstance(config, dict):
                raise ValueError(request)
        except (ValueError, KeyError, TypeError):
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
            tell({"op": "refused"})
            continue
        sweep()
        pid = os.fork()
        if pid == 0:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os.close(wake_read)
            os.close(wake_write)
            os.setsid()
            request_fd, reply_fd, capture = fds
            os.dup2(capture, 1)
            os.dup2(capture, 2)
            os.close(capture)
            try:
                control.send(json.dumps({"op": "ready", "pid": os.getpid()}).encode())
            except OSError:
                os._exit(4)
            control.close()
            _set_dumpable(True)
            # As a worker started on its own sees it: its config, with its pipes, is its argument.
            sys.argv[-1] = json.dumps({**config, "request_fd": request_fd, "reply_fd": reply_fd})
            _serve(config, request_fd, reply_fd)
            os._exit(0)
        forked.add(pid)
        for fd in fds:
            os.close(fd)


def main() -> None:
    config = json.loads(sys.argv[1])
    # In the sandbox: the folders NumPy (and an exercise's allowed libraries) were bound into.
    sys.path.extend(config.get("python_path", []))
    if config.get("nursery"):
        _nurse(int(config["control_fd"]))
    _serve(config, int(config["request_fd"]), int(config["reply_fd"]))


def _serve(config: dict, request_fd: int, reply_fd: int) -> None:
    """Be one check's worker: set the limits and guards, say hello, answer requests until told
    to stop. Never returns."""
    # Student output never reaches the grader's stdout/stderr: fd 1 and 2 are a capture file the
    # grader opened (for C-level writes and faulthandler); Python-level text goes to bounded buffers.
    import faulthandler
    import signal

    faulthandler.enable(file=sys.__stderr__)
    # Past the file-size limit a write should fail, not kill the worker.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _become_subreaper()
    _apply_limits(config.get("limits", {}))

    import importlib.util
    import time

    try:
        import _tutor_wire as wire
        import numpy as np  # noqa: F401 - loaded before student code so its import is never blocked
    except BaseException as error:  # noqa: BLE001 - e.g. a memory limit too small for NumPy itself
        _report_startup_failure(reply_fd, error)
        os._exit(3)

    shared = {"kept": "", "dropped": 0}
    sys.stdout = _BoundedText("stdout", shared, int(config.get("output_chars", 20_000)))  # type: ignore[assignment]
    sys.stderr = _BoundedText("stderr", shared, int(config.get("output_chars", 20_000)))  # type: ignore[assignment]

    attempts: list[str] = []
    blocker = _ImportBlocker(list(config.get("forbidden", [])), attempts)
    sys.meta_path.insert(0, blocker)
    blocker.guard_import_functions()
    for search_dir in config.get("search_path", []):
        sys.path.append(search_dir)

    functions: dict = {}
    student_paths: set[str] = set()
    # Ready: from here on, any failure is the student's code, not the worker's start-up.
    wire.send(reply_fd, {"op": "hello", "pid": os.getpid()})

    # Bound now: student code that patches tutor.checking.wire later does not change our replies.
    send = wire.send

    def reply(message: dict, buffers: list[bytes] = ()) -> None:  # type: ignore[assignment]
        message["output"] = {"text": shared["kept"], "dropped": shared["dropped"]}
        shared["kept"], shared["dropped"] = "", 0
        message["forbidden_attempts"] = list(dict.fromkeys(attempts))
        try:
            send(reply_fd, message, buffers)
        except MemoryError:  # the result itself was too big to send within the memory limit
            send(
                reply_fd,
                {
                    "ok": False,
                    "error": {
                        "type": "MemoryError",
                        "message": "the result was too large to send",
                        "frames": [],
                    },
                },
            )

    while True:
        try:
            request, buffers = wire.receive(request_fd)
        except wire.ChannelClosed:
            os._exit(0)
        op = request.get("op")
        if op == "bye":
            os._exit(0)
        if op == "ping":
            reply({"ok": True, "pid": os.getpid()})
            continue
        if op == "load":
            path = request["path"]
            student_paths.add(os.path.realpath(path))
            try:
                spec = importlib.util.spec_from_file_location(request["module"], path)
                module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
                sys.modules[request["module"]] = module
                spec.loader.exec_module(module)  # type: ignore[union-attr]
            except BaseException as error:  # noqa: BLE001 - SystemExit at import is a verdict, not our exit
                reply({"ok": False, "error": _describe_error(error, student_paths, attempts)})
                continue
            found = {}
            for name in request["functions"]:
                candidate = getattr(module, name, None)
                if callable(candidate):
                    functions[name] = candidate
                    found[name] = {"parameters": _parameters(candidate)}
            names = sorted(n for n in vars(module) if not n.startswith("_"))[:50]
            reply({"ok": True, "found": found, "module_names": names})
            continue
        if op == "call":
            function = functions.get(request["function"])
            args = wire.decode_value(request["args"], buffers)
            kwargs = wire.decode_value(request["kwargs"], buffers)
            started = time.perf_counter()
            try:
                value = function(*args, **kwargs)  # type: ignore[misc]
            except BaseException as error:  # noqa: BLE001 - every failure is reported, including exits
                reply(
                    {
                        "ok": False,
                        "seconds": time.perf_counter() - started,
                        "error": _describe_error(error, student_paths, attempts),
                    }
                )
                continue
            seconds = time.perf_counter() - started
            # Which inputs the result shares memory with (e.g. `return x`): the grader cannot see
            # that from the bytes it receives, and some exercises promise a new array.
            aliases = _shared_inputs(value, args, kwargs)
            try:
                encoded, out_buffers = wire.encode_value({"value": value, "args": args, "kwargs": kwargs})
            except BaseException as error:  # noqa: BLE001 - a hostile __repr__ or similar
                reply(
                    {
                        "ok": False,
                        "seconds": seconds,
                        "error": _describe_error(error, student_paths, attempts),
                    }
                )
                continue
            reply({"ok": True, "seconds": seconds, "result": encoded, "aliases": aliases}, out_buffers)
            continue
        reply(
            {"ok": False, "error": {"type": "ProtocolError", "message": f"unknown op {op!r}", "frames": []}}
        )


if __name__ == "__main__":
    main()

"""The worker process: imports one student file and answers calls on a private pipe.

Run as `python -I -m tutor.checking.worker CONFIG_JSON`. It never decides a verdict: it only
reports what the student's code returned, raised or printed, and the grader (another process)
judges that. Everything here assumes the code it runs is hostile, so it keeps its own state
small and sends nothing but plain data.

Imports are limited to the standard library, NumPy and tutor.checking.wire, so that starting
a worker costs a NumPy import and nothing more.
"""

from __future__ import annotations

import json
import os
import sys


def _apply_limits(limits: dict) -> None:
    import resource

    def clamp(kind: int, value: int) -> None:
        try:
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):  # some kernels refuse a limit; the wall clock still applies
            pass

    if limits.get("memory_bytes"):
        clamp(resource.RLIMIT_AS, int(limits["memory_bytes"]))
    if limits.get("cpu_seconds"):
        soft = int(limits["cpu_seconds"])
        try:
            # The soft limit sends SIGXCPU (which kills by default); the hard one SIGKILLs.
            resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))
        except (ValueError, OSError):
            pass
    if limits.get("file_bytes"):
        clamp(resource.RLIMIT_FSIZE, int(limits["file_bytes"]))
    if limits.get("processes"):
        clamp(resource.RLIMIT_NPROC, int(limits["processes"]))
    clamp(resource.RLIMIT_CORE, 0)


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

    def find_spec(self, fullname: str, path=None, target=None):  # noqa: ANN001 - importlib protocol
        for name in self.forbidden:
            if fullname == name or fullname.startswith(name + "."):
                self.attempts.append(fullname)
                raise ImportError(
                    f"importing {fullname!r} is not allowed in this exercise: write it with NumPy",
                    name=fullname,
                )
        return None


def _student_frames(tb, student_paths: set[str]) -> list[dict]:
    import traceback

    frames = []
    for frame in traceback.extract_tb(tb):
        if os.path.realpath(frame.filename) in student_paths:
            frames.append({"file": frame.filename, "line": frame.lineno, "function": frame.name, "code": frame.line or ""})
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
    if isinstance(error, SyntaxError):
        described["line"] = error.lineno
        described["text"] = (error.text or "").rstrip()
    return described


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


def main() -> None:
    config = json.loads(sys.argv[1])
    request_fd, reply_fd = int(config["request_fd"]), int(config["reply_fd"])

    # Student output never reaches the real stdout/stderr: fd 1 and 2 go to a capture file
    # (for C-level writes and faulthandler), Python-level text to bounded buffers.
    capture = os.open(config["capture_path"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(capture, 1)
    os.dup2(capture, 2)
    os.close(capture)
    os.close(devnull)

    import faulthandler
    import signal

    faulthandler.enable(file=sys.__stderr__)
    # Past the file-size limit a write should fail, not kill the worker.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _apply_limits(config.get("limits", {}))

    import importlib.util
    import time

    import numpy as np  # noqa: F401 - loaded before student code so its import is never blocked

    from tutor.checking import wire

    shared = {"kept": "", "dropped": 0}
    sys.stdout = _BoundedText("stdout", shared, int(config.get("output_chars", 20_000)))  # type: ignore[assignment]
    sys.stderr = _BoundedText("stderr", shared, int(config.get("output_chars", 20_000)))  # type: ignore[assignment]

    attempts: list[str] = []
    sys.meta_path.insert(0, _ImportBlocker(list(config.get("forbidden", [])), attempts))
    for search_dir in config.get("search_path", []):
        sys.path.append(search_dir)

    functions: dict = {}
    student_paths: set[str] = set()

    def reply(message: dict, buffers: list[bytes] = ()) -> None:  # type: ignore[assignment]
        message["output"] = {"text": shared["kept"], "dropped": shared["dropped"]}
        shared["kept"], shared["dropped"] = "", 0
        message["forbidden_attempts"] = list(dict.fromkeys(attempts))
        wire.send(reply_fd, message, buffers)

    while True:
        try:
            request, buffers = wire.receive(request_fd)
        except wire.ChannelClosed:
            os._exit(0)
        op = request.get("op")
        if op == "bye":
            os._exit(0)
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
                reply({"ok": False, "seconds": time.perf_counter() - started, "error": _describe_error(error, student_paths, attempts)})
                continue
            seconds = time.perf_counter() - started
            try:
                encoded, out_buffers = wire.encode_value({"value": value, "args": args, "kwargs": kwargs})
            except BaseException as error:  # noqa: BLE001 - a hostile __repr__ or similar
                reply({"ok": False, "seconds": seconds, "error": _describe_error(error, student_paths, attempts)})
                continue
            reply({"ok": True, "seconds": seconds, "result": encoded}, out_buffers)
            continue
        reply({"ok": False, "error": {"type": "ProtocolError", "message": f"unknown op {op!r}", "frames": []}})


if __name__ == "__main__":
    main()

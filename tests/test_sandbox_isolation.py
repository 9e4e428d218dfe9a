"""Student code in the sandbox cannot forge a grade, read what is not theirs, change the
installation, or outlive its check: one test (or a few) per CLASS of attack.

Every attack is a student submission in tests/hostile/isolation/, planted next to an
`attack_params.py` (a helper module of the student's own, so the worker gets it) that names its
markers and the host paths it aims at. The attacks report what they saw from inside (probe
functions return it as values), and the tests judge from outside as well: the grader's own
stdout, the verdict, this machine's /proc and filesystem, hashes taken before and after.

Tests marked `needs_sandbox` are skipped without one, with the reason "no sandbox here: ..."
(README, "Run the tests"): they attack the sandbox itself. Run without it (TUTOR_BWRAP= and the
skip removed), each of them fails: that is how we know they can. The tests of the grading
process itself (files that are not files, a student's output on the grader's terminal) run
everywhere.
"""

from __future__ import annotations

import contextlib
import glob
import gzip
import hashlib
import io
import json
import os
import secrets
import select
import shutil
import signal
import site
import socket
import stat
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tutor.catalog import course
from tutor.checking.engine import CheckOptions, run_check
from tutor.checking.isolation import RUNTIME_DIR, interpreter, package_mounts, stdlib_dirs, support
from tutor.checking.nursery import Nursery
from tutor.checking.result import CheckResult
from tutor.checking.sandbox import Limits, SpareWorker, Worker, WorkerKind
from tutor.checking.submission import snapshot

ROOT = Path(__file__).resolve().parent.parent
ATTACKS = Path(__file__).resolve().parent / "hostile" / "isolation"
SANDBOX = support()
needs_sandbox = pytest.mark.skipif(not SANDBOX.available, reason=f"no sandbox here: {SANDBOX.detail}")

# What every program needs and the sandbox shows read-only: the system's libraries and loader.
SYSTEM = (
    "/usr",
    "/lib",
    "/lib64",
    "/lib32",
    "/libx32",
    "/bin",
    "/sbin",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
)
FAST = Limits(call_seconds=5.0, total_seconds=60.0, memory_mb=2048)


# -- helpers -----------------------------------------------------------------------------------------
def new_marker() -> str:
    return f"tutor-attack-{secrets.token_hex(6)}"


def new_workspace(folder: Path) -> Path:
    from tutor.workspace import init_workspace

    workspace, _ = init_workspace(folder, course(), student=folder.name)
    return workspace.root


def plant(folder: Path, attack: str, exercise: str, **params: Any) -> Path:
    """Copy tests/hostile/isolation/<attack>.py to folder/<exercise>.py, with its attack_params.py."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{exercise}.py"
    if target.is_symlink() or target.exists():
        target.unlink()
    shutil.copyfile(ATTACKS / f"{attack}.py", target)
    lines = [f"{name} = {value!r}\n" for name, value in params.items()]
    (folder / "attack_params.py").write_text("".join(lines), encoding="utf-8")
    return target


# How a check gets its worker: its own sandbox, one started ahead (watch mode), or a fork of the
# workspace's nursery (`tutor grade`). The attacks that matter to each run all three ways.
HOW = ["worker-for-the-check", "worker-started-ahead", "worker-forked-by-a-nursery"]


@contextlib.contextmanager
def worker_for(path: Path, exercise_id: str, limits: Limits, how: str = HOW[0]) -> Iterator[Worker]:
    """A started worker running the snapshot of `path`, got as `how` says; stopped afterwards."""
    exercise = course().exercise(exercise_id)
    kind = WorkerKind(
        limits, exercise.forbidden_imports(), exercise.allowed_imports, Path(os.path.abspath(path.parent))
    )
    with contextlib.ExitStack() as stack:
        if how == "worker-for-the-check":
            worker = Worker(
                limits,
                exercise.forbidden_imports(),
                submission=snapshot(path),
                provided=exercise.allowed_imports,
            ).start()
        elif how == "worker-started-ahead":
            with SpareWorker() as spare:
                spare.prepare(kind)
                taken = spare.take(kind)
            assert taken is not None and taken.alive()
            worker = taken.submit(snapshot(path))
        else:
            nursery = stack.enter_context(Nursery(kind.folder))
            taken = nursery.take(kind)
            assert taken is not None and taken.alive(), nursery.gone
            worker = taken.submit(snapshot(path))
        with worker:
            yield worker


def probe(path: Path, exercise_id: str, function: str = "probe", args: tuple = (), how: str = HOW[0]) -> Any:
    """Load the attack in a real worker (sandboxed when this machine has one), call `function`."""
    limits = Limits(call_seconds=60.0, total_seconds=120.0, memory_mb=4096)
    with worker_for(path, exercise_id, limits, how) as worker:
        loaded = worker.load(worker.student_path(path), exercise_id, (function,))
        assert loaded.ok, f"the attack did not load: {loaded.error} {worker.output[-2000:]}"
        reply = worker.call(function, args, {})
        assert reply.ok, f"the attack failed: {reply.error} {worker.output[-2000:]}"
        return reply.value


def check(exercise_id: str, path: Path, root: Path | None = None, limits: Limits = FAST) -> CheckResult:
    """run_check as `tutor check` calls it: derandomized, the file named relative to its workspace."""
    display = os.path.relpath(os.path.abspath(path), root) if root else None
    options = CheckOptions(derandomize=True, limits=limits, root=root, display_file=display)
    return run_check(course().exercise(exercise_id), path, options)


def tutor_cli(workspace: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """`tutor ARGS` in the workspace, as a separate grading process. Its stdin is a pipe that stays
    open and empty (anything reading it would block until the timeout)."""
    stdin_read, stdin_write = os.pipe()
    try:
        return subprocess.run(
            [sys.executable, "-m", "tutor", *args],
            cwd=workspace,
            stdin=stdin_read,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    finally:
        os.close(stdin_read)
        os.close(stdin_write)


def marked(marker: str) -> list[int]:
    """Live processes on this machine (this /proc, not the sandbox's) with `marker` in their command line."""
    found = []
    needle = marker.encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if needle in cmdline and state != "Z":
            found.append(int(entry))
    return found


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def exterminate(marker: str) -> None:
    """Kill whatever an attack left behind (only ever needed when the sandbox failed)."""
    for _ in range(100):
        pids = marked(marker)
        if not pids:
            return
        for number in (signal.SIGSTOP, signal.SIGKILL):
            for pid in pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, number)
        time.sleep(0.02)


def wait_until(condition: Callable[[], Any], seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def site_dirs() -> list[str]:
    """Every folder of installed packages on this machine (the interpreter's, the venv's, the system's)."""
    base = sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_exec_prefix})
    found = [*sys.path, *site.getsitepackages(), site.getusersitepackages(), base["purelib"], base["platlib"]]
    found += glob.glob("/usr/lib/python3*/*-packages") + glob.glob("/usr/local/lib/python3*/*-packages")
    return sorted(
        {
            os.path.realpath(p)
            for p in found
            if p.endswith(("site-packages", "dist-packages")) and os.path.isdir(p)
        }
    )


def libraries(exercise_id: str) -> list[str]:
    """The folders of the packages an exercise's code may import (NumPy, and torch for LeNet)."""
    allowed = tuple(m for m in course().exercise(exercise_id).allowed_imports if m != "tutor.data")
    return list(package_mounts(("numpy", *allowed))[0])


def visible_by_design(folder: Path, exercise_id: str) -> list[str]:
    """What the sandbox may show: system, interpreter, standard library, libraries, runtime, the submission."""
    allowed = [p for p in SYSTEM if os.path.lexists(p)] + [
        os.path.realpath(p) for p in SYSTEM if os.path.islink(p)
    ]
    allowed += [interpreter(), *stdlib_dirs()]
    if sysconfig.get_config_var("Py_ENABLE_SHARED"):
        libdir, name = sysconfig.get_config_var("LIBDIR"), sysconfig.get_config_var("LDLIBRARY")
        for candidate in glob.glob(os.path.join(libdir or "", f"{name}*")):
            allowed += [candidate, os.path.realpath(candidate)]
    allowed += libraries(exercise_id)
    allowed += [RUNTIME_DIR, str(folder)]
    return list(dict.fromkeys(allowed))


# -- 1. writing the grader's own output --------------------------------------------------------------
@needs_sandbox
@pytest.mark.parametrize("right", [True, False], ids=["right-values", "wrong-values"])
def test_forged_output_never_reaches_the_grader(tmp_path: Path, right: bool) -> None:
    """The attack writes a forged 'passed' verdict to every descriptor it can reach (its own,
    reopened through /proc/self/fd, every visible process's, its parent's first, the terminal)
    and SIGKILLs its parent. `tutor check --json` must still print exactly one verdict, judged
    from the values alone, with the forgery nowhere but in the captured student output."""
    marker = new_marker()
    workspace = new_workspace(tmp_path / "ws")
    plant(workspace / "exercises", "forge_grader_output", "corr2d", MARKER=marker, RIGHT=right)

    run = tutor_cli(workspace, "check", "corr2d", "--json", "--timeout", "10")
    summary = f"exit {run.returncode}\nstdout: {run.stdout[-3000:]!r}\nstderr: {run.stderr[-3000:]!r}"
    assert run.returncode in (0, 1), f"the grading process did not finish by itself: {summary}"
    try:
        result = json.loads(run.stdout)
    except ValueError:
        pytest.fail(f"stdout is not exactly one JSON verdict: {summary}")
    assert result["status"] == ("passed" if right else "failed"), summary
    assert result["passed"] is right and run.returncode == (0 if right else 1), summary
    verdict = json.dumps({key: value for key, value in result.items() if key != "output"})
    assert marker not in verdict, f"the forgery got into the verdict: {summary}"
    assert marker.encode() not in run.stderr, f"the forgery reached the grader's stderr: {summary}"
    # The attack did run: its own stdout is the capture file, so there the forgery is shown as
    # what it is, the student's output.
    assert marker in result["output"], f"the attack never ran: {summary}"


def test_student_output_cannot_drive_the_graders_terminal(tmp_path: Path) -> None:
    """`tutor check` shows what the student's code printed under the verdict. Terminal control
    characters in it (ESC/CSI/OSC sequences, 8-bit CSI, BEL, CR, BS) would let it clear the
    screen and paint a 'passed' verdict on the grader's terminal: none may reach the screen.
    Rendered as `tutor check` renders a verdict, to a console that is not a terminal (so every
    control character in the text comes from the student)."""
    from rich.console import Console

    from tutor import render

    marker = new_marker()
    workspace = tmp_path / "ws"
    target = plant(workspace / "exercises", "paint_the_terminal", "corr2d", MARKER=marker)
    result = check("corr2d", target, root=workspace)
    assert not result.passed and marker in result.output, "the attack never ran"
    screen = io.StringIO()
    Console(file=screen, width=100, force_terminal=False, color_system=None, highlight=False).print(
        render.check_result(result)
    )
    text = screen.getvalue()
    controls = sorted(
        {f"U+{ord(c):04X}" for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0}
    )
    assert not controls, f"control characters from the student's output reach the screen: {controls}\n{text}"


# -- 2. rewriting the tool ------------------------------------------------------------------------------
_IGNORED = {".git", ".venv", ".hypothesis", ".pytest_cache", "__pycache__", ".ruff_cache", ".mypy_cache"}


def tree_state(top: Path, content: bool, recursive: bool = True) -> dict[str, tuple]:
    """Path → (mode, sha256) with `content`, else (mode, size, mtime); caches and VCS left out."""
    state: dict[str, tuple] = {}
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in _IGNORED and not d.endswith(".egg-info"))
        state[root] = ("folder", sorted(os.listdir(root)))
        for name in files:
            path = os.path.join(root, name)
            try:
                info = os.lstat(path)
                if content and stat.S_ISREG(info.st_mode):
                    state[path] = (info.st_mode, hashlib.sha256(Path(path).read_bytes()).hexdigest())
                else:
                    state[path] = (info.st_mode, info.st_size, info.st_mtime_ns)
            except OSError:
                continue
        if not recursive:
            break
    return state


def repository_state() -> dict[str, tuple]:
    """The repository and the tutor package, by content."""
    import tutor

    return tree_state(ROOT, content=True) | tree_state(Path(tutor.__file__).resolve().parent, content=True)


def installation_state(workspace: Path) -> dict[str, tuple]:
    """The workspace (by content), NumPy, every site-packages, the standard library and the
    interpreter's folder (by size and time)."""
    state = tree_state(workspace, content=True)
    state |= tree_state(Path(np.__file__).resolve().parent, content=False)
    for folder in site_dirs():
        state |= tree_state(Path(folder), content=False, recursive=False)
    for folder in stdlib_dirs():
        state |= tree_state(Path(folder), content=False, recursive=False)
    state |= tree_state(Path(sys.executable).parent, content=False, recursive=False)
    return state


def traces_of(marker: str, stamp: int, paths: list[str]) -> list[str]:
    """Those of `paths` that carry a trace of the attack: its marker in the name or the content,
    or the attack's modification time."""
    found = []
    for path in paths:
        try:
            info = os.lstat(path)
            text = Path(path).read_bytes() if stat.S_ISREG(info.st_mode) else b""
        except OSError:
            continue
        if marker in path or marker.encode() in text or int(info.st_mtime) == stamp:
            found.append(path)
    return found


def undo_marked(tops: list[Path], marker: str) -> None:
    """Remove what an attack added (files and folders named after its marker, lines naming it)."""
    for top in tops:
        for root, dirs, files in os.walk(top):
            for name in list(dirs):
                if marker in name:
                    shutil.rmtree(os.path.join(root, name), ignore_errors=True)
                    dirs.remove(name)
            for name in files:
                path = Path(root, name)
                if marker in name:
                    path.unlink(missing_ok=True)
                    continue
                if path.suffix in (".py", ".pth") and not path.is_symlink():
                    with contextlib.suppress(OSError, UnicodeDecodeError):
                        text = path.read_text(encoding="utf-8")
                        if marker in text:
                            path.write_text(text.replace(f"\n# {marker}\n", ""), encoding="utf-8")


@needs_sandbox
def test_the_installation_and_the_workspace_cannot_be_changed(tmp_path: Path) -> None:
    """The attack looks for the tutor package, the repository, solutions/, exercises/, the
    workspace and every site-packages, and tries to add modules, .pth and sitecustomize files and
    to append to the code there, at import and in a call; it also asks access(2) about every
    visible file and folder. Nothing may succeed, and nothing of the installation or the
    workspace may differ after the check.

    The repository (tutor/, solutions/, exercises/, tests/...) is compared by content too, but a
    developer may be editing it while the test runs: there, a change that carries no trace of the
    attack (every write it makes carries its marker, or its modification time) is only a warning."""
    import tutor

    marker, stamp = new_marker(), 1_000_000_000  # stamp: the mtime the attack gives what it appends to
    workspace = new_workspace(tmp_path / "ws")
    package = Path(tutor.__file__).resolve().parent
    known = [str(p) for p in (ROOT, package, package / "checking", ROOT / "solutions", ROOT / "exercises")]
    known += [str(workspace), str(workspace / "exercises"), *site_dirs(), *stdlib_dirs()]
    target = plant(
        workspace / "exercises",
        "rewrite_installation",
        "corr2d",
        MARKER=marker,
        STAMP=stamp,
        KNOWN_DIRS=known,
    )
    before, repository_before = installation_state(workspace), repository_state()
    clean = False
    try:
        result = check("corr2d", target, root=workspace)
        report = probe(target, "corr2d")
        after, repository_after = installation_state(workspace), repository_state()
        assert report == {"at_import": [], "at_call": [], "writable": []}, report
        changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
        assert not changed, f"changed by the check: {changed[:30]}"
        edited = sorted(
            p
            for p in repository_before.keys() | repository_after.keys()
            if repository_before.get(p) != repository_after.get(p)
        )
        assert not traces_of(marker, stamp, edited), (
            f"changed by the check: {traces_of(marker, stamp, edited)}"
        )
        if edited:
            warnings.warn(
                f"edited while the test ran, without a trace of the attack: {edited[:10]}", stacklevel=1
            )
        assert str(result.status) == "wrong_type", result.message  # it returns None: judged on that alone
        clean = True
    finally:
        if not clean:
            undo_marked([ROOT, package, workspace, Path(sys.prefix), Path(sys.base_prefix)], marker)


# -- 3. reading what is not theirs ---------------------------------------------------------------------
@needs_sandbox
@pytest.mark.parametrize("how", HOW)
def test_nothing_but_the_runtime_and_the_libraries_is_visible(tmp_path: Path, how: str) -> None:
    """Walked from inside: nothing outside the system's libraries, the interpreter, the allowed
    packages, the runtime and the submission's own folder; no other workspace, no solutions/, no
    tutor package, no hypothesis, no home folder, nothing of the host's /tmp or /dev/shm, no
    copy of a solution or of the tutor's code, and no process but its own. The same for a worker
    started ahead of the check (watch mode), whose folder is filled only when it is given the file."""
    marker = new_marker()
    workspace = new_workspace(tmp_path / "ws")
    classmate = new_workspace(tmp_path / "classmate")
    shutil.copyfile(ROOT / "solutions" / "conv2d.py", classmate / "exercises" / "conv2d.py")
    (tmp_path / "grades.csv").write_text("s1,100\n", encoding="utf-8")
    host_tmp = Path(tempfile.gettempdir(), f"{marker}-host-tmp")
    host_shm = Path("/dev/shm", f"{marker}-host-shm")
    secrets_by_hash = {}
    for path in [
        *ROOT.glob("solutions/*.py"),
        *Path(__import__("tutor").__file__).resolve().parent.rglob("*"),
    ]:
        if path.is_file() and path.stat().st_size > 64 and path.name not in ("worker.py", "wire.py"):
            secrets_by_hash[hashlib.sha256(path.read_bytes()).hexdigest()] = str(path)
    folder = workspace / "exercises"
    forbidden = [
        ROOT / name for name in ("solutions", "solutions/conv2d.py", "tutor", "tests", "exercises", ".git")
    ]
    forbidden += [ROOT / "tutor" / "data" / "digits.csv.gz", classmate, classmate / "exercises" / "conv2d.py"]
    forbidden += [tmp_path / "grades.csv", workspace / "tutor.toml", host_tmp, host_shm]
    target = plant(
        folder,
        "read_what_is_not_theirs",
        "conv2d",
        MARKER=marker,
        ALLOWED=tuple(visible_by_design(folder, "conv2d")),
        SITE_DIRS=tuple(site_dirs()),
        LIBRARIES=tuple(libraries("conv2d")),
        FORBIDDEN=[str(p) for p in forbidden],
        HOME=str(Path.home()),
        EXTRA_SYS_PATH=[str(ROOT), *site_dirs()],
        PROVIDED=(),
        SECRET_HASHES=secrets_by_hash,
        RUNTIME=RUNTIME_DIR,
    )
    host_tmp.write_text(marker)
    with contextlib.suppress(OSError):
        host_shm.write_text(marker)
    try:
        report = probe(target, "conv2d", how=how)
    finally:
        host_tmp.unlink(missing_ok=True)
        host_shm.unlink(missing_ok=True)
    assert report.pop("visible_entries") > 0
    assert report == {key: [] for key in report}, json.dumps(report, indent=1)


@needs_sandbox
def test_a_classmates_work_cannot_be_copied(tmp_path: Path) -> None:
    """Two workspaces side by side: the graded one has no conv2d of its own and, at call time,
    runs whatever it can read of its classmate's (../../*/exercises/conv2d.py) or of the
    instructor's solutions/ (walking up from every loaded module). It must not pass."""
    mine = new_workspace(tmp_path / "alice")
    theirs = new_workspace(tmp_path / "bob")
    secret = f"# bob's own work {new_marker()}\n"
    (theirs / "exercises" / "conv2d.py").write_text(
        secret + (ROOT / "solutions" / "conv2d.py").read_text(encoding="utf-8"), encoding="utf-8"
    )
    target = plant(
        mine / "exercises", "copy_classmate", "conv2d", CLASSMATES=[str(theirs / "exercises" / "conv2d.py")]
    )
    assert probe(target, "conv2d", "stolen") == []
    result = check("conv2d", target, root=mine)
    assert not result.passed and str(result.status) == "wrong_type", result.message  # nothing copied: None
    assert secret.strip() not in result.output + result.message


def held_out_fingerprints() -> tuple[set[str], set[str]]:
    """Fingerprints of the held-out images (float32 32×32 bytes) and of their lines in the CSV,
    leaving out any image that also occurs in the training split."""
    from importlib import resources

    from tutor.data import digits, to_lenet_images

    train, test = digits()

    def prints(images: np.ndarray) -> set[str]:
        return {
            fingerprint(np.ascontiguousarray(i, dtype=np.float32).tobytes())
            for i in images.reshape(-1, 32, 32)
        }

    held = prints(test.images) - prints(train.images)
    lines = set()
    with resources.files("tutor.data").joinpath("digits.csv.gz").open("rb") as raw, gzip.open(raw) as handle:
        for line in handle.read().splitlines():
            pixels = np.array([int(v) for v in line.decode().split(",")[:64]]).reshape(1, 8, 8)
            if prints(to_lenet_images(pixels)) & held:
                lines.add(fingerprint(line.strip()))
    return held, lines


@needs_sandbox
def test_the_held_out_digits_are_nowhere_in_the_lenet_sandbox(tmp_path: Path) -> None:
    """LeNet may import torch and tutor.data (training_split() only). The attack looks for the
    300 held-out digits in tutor.data, in its resources, in every visible file named digits* or
    holding data, and in every array or tensor in memory: no more than 1497 images anywhere, and
    no held-out image or CSV line in any form."""
    held, lines = held_out_fingerprints()
    assert len(held) > 250 and len(lines) > 250
    workspace = new_workspace(tmp_path / "ws")
    target = plant(
        workspace / "exercises",
        "steal_held_out_digits",
        "lenet",
        HELD_OUT=held,
        HELD_OUT_LINES=lines,
        LIBRARIES=tuple(libraries("lenet") + stdlib_dirs()),
    )
    assert probe(target, "lenet") == []


class _Listeners:
    """The grader's loopback services: TCP and UDP on 127.0.0.1, and an abstract Unix socket."""

    def __init__(self, name: str) -> None:
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind("\0" + name)
        self.unix.listen()
        self.received: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        sockets = [self.tcp, self.udp, self.unix]
        while not self._stop.is_set():
            ready, _, _ = select.select(sockets, [], [], 0.05)
            for sock in ready:
                if sock is self.udp:
                    data, sender = sock.recvfrom(4096)
                    self.received.append(f"udp from {sender}: {data!r}")
                else:
                    connection, sender = sock.accept()
                    self.received.append(f"connection on {sock.getsockname()!r} from {sender!r}")
                    connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for sock in (self.tcp, self.udp, self.unix):
            sock.close()


@needs_sandbox
def test_the_network_is_out_of_reach(tmp_path: Path) -> None:
    """No connection anywhere: not to the grader's services on 127.0.0.1 (TCP, UDP, abstract Unix
    socket), not outside, no DNS; the only interface there may be is loopback."""
    marker = new_marker()
    listeners = _Listeners(marker)
    try:
        target = plant(
            tmp_path / "ws",
            "reach_the_network",
            "conv2d",
            MARKER=marker,
            TCP_PORT=listeners.tcp.getsockname()[1],
            UDP_PORT=listeners.udp.getsockname()[1],
            ABSTRACT=marker,
            OUTSIDE=["1.1.1.1", "8.8.8.8"],
        )
        reached = probe(target, "conv2d")
        time.sleep(0.2)  # anything that was sent has arrived
    finally:
        listeners.close()
    assert reached == [], reached
    assert listeners.received == [], listeners.received


# -- 4. leaving the process tree ------------------------------------------------------------------------
def plant_escape(folder: Path, tmp_path: Path, marker: str) -> tuple[Path, list[Path]]:
    late = [
        Path(tempfile.gettempdir(), f"{marker}-late"),
        Path("/dev/shm", f"{marker}-late"),
        folder / f"{marker}-late",
        tmp_path / f"{marker}-late",
    ]
    shell = Path(tempfile.gettempdir(), f"{marker}-shell")
    target = plant(
        folder,
        "escape_process_tree",
        "corr2d",
        MARKER=marker,
        DELAY=1.0,
        LATE_PATHS=[str(p) for p in late],
        SH_PATH=str(shell),
    )
    return target, [*late, shell]


def assert_nothing_outlived(marker: str, started: float, files: list[Path]) -> None:
    left = wait_until(lambda: not marked(marker), 3.0)
    assert left, f"processes left behind: {[cmdline(p)[-60:] for p in marked(marker)]}"
    time.sleep(max(0.0, started + 1.0 + 1.0 - time.monotonic()))  # past DELAY, with a margin
    written = [str(p) for p in files if p.exists()]
    assert not written, f"written after the check by an escaped process: {written}"


@needs_sandbox
@pytest.mark.parametrize("how", HOW)
def test_escaped_processes_die_with_the_worker(tmp_path: Path, how: str) -> None:
    """At import the attack stops being a subreaper and starts, by double fork + setsid + an
    environment without the worker's token, a server that computes for it, a sleeper that writes
    host-visible files later, a shell ignoring SIGTERM/SIGHUP and a fork chain whose pid keeps
    changing. They run while the worker runs (seen in this machine's /proc); once it is stopped,
    none is alive and nothing is written afterwards."""
    marker = new_marker()
    target, files = plant_escape(tmp_path / "ws", tmp_path, marker)
    started = time.monotonic()
    try:
        with worker_for(target, "corr2d", FAST, how) as worker:
            assert worker.load(worker.student_path(target), "corr2d", ("corr2d",)).ok, worker.output
            x, k = np.arange(20.0).reshape(4, 5), np.ones((2, 2))
            reply = worker.call("corr2d", (x, k), {})
            assert reply.ok, reply.error
            np.testing.assert_allclose(
                reply.value, [[np.sum(x[i : i + 2, j : j + 2]) for j in range(4)] for i in range(3)]
            )

            seen: set[str] = set()

            def all_seen() -> bool:  # over several looks: the chain's pid changes all the time
                cmdlines = b" ".join(cmdline(p) for p in marked(marker))
                seen.update(
                    k for k in ("server", "late", "shell", "chain") if f"{marker}-{k}".encode() in cmdlines
                )
                return len(seen) == 4

            assert wait_until(all_seen, 10.0), f"the attack did not start all its processes (only {seen})"
        assert_nothing_outlived(marker, started, files)
    finally:
        exterminate(marker)
        for path in files:
            path.unlink(missing_ok=True)


@needs_sandbox
def test_a_check_computed_by_an_escaped_process_leaves_nothing_behind(tmp_path: Path) -> None:
    """The same attack under a full check: corr2d's answers come from the escaped server, so the
    values are right and the check may pass; what matters is that when the check returns, every
    process it started is gone and nothing is written afterwards."""
    marker = new_marker()
    target, files = plant_escape(tmp_path / "ws", tmp_path, marker)
    started = time.monotonic()
    try:
        result = check("corr2d", target)
        assert str(result.status) == "passed", result.message  # the values were right: fine
        assert_nothing_outlived(marker, started, files)
    finally:
        exterminate(marker)
        for path in files:
            path.unlink(missing_ok=True)


# -- 5. files that are not files ------------------------------------------------------------------------
def _socket_file(path: Path) -> None:
    here = os.getcwd()
    os.chdir(path.parent)  # a relative name: the full path may be too long for AF_UNIX
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(path.name)
        sock.close()
    finally:
        os.chdir(here)


def _sparse(path: Path, size: int) -> None:
    with open(path, "wb") as handle:
        handle.truncate(size)


# name → (how to make exercises/corr2d.py, fragments of which the message must contain one)
NOT_FILES: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "link-to-dev-zero": (lambda p: p.symlink_to("/dev/zero"), ("outside", "device")),
    "link-to-dev-urandom": (lambda p: p.symlink_to("/dev/urandom"), ("outside", "device")),
    "link-to-dev-stdin": (lambda p: p.symlink_to("/dev/stdin"), ("outside", "device", "fifo", "pipe")),
    "link-to-proc-self-fd-0": (
        lambda p: p.symlink_to("/proc/self/fd/0"),
        ("outside", "device", "fifo", "pipe"),
    ),
    "fifo": (lambda p: os.mkfifo(p), ("fifo", "named pipe")),
    "link-to-a-fifo-inside": (
        lambda p: (os.mkfifo(p.with_name("pipe.py")), p.symlink_to("pipe.py")),
        ("fifo", "named pipe"),
    ),
    "link-to-the-solution": (lambda p: p.symlink_to(ROOT / "solutions" / "corr2d.py"), ("outside",)),
    "relative-link-to-a-classmate": (
        lambda p: p.symlink_to(Path("..", "..", "classmate", "exercises", "corr2d.py")),
        ("outside",),
    ),
    "link-chain-leaving-the-folder": (
        lambda p: (
            p.with_name("inner.py").symlink_to(ROOT / "solutions" / "corr2d.py"),
            p.symlink_to("inner.py"),
        ),
        ("outside",),
    ),
    "link-to-proc-environ": (lambda p: p.symlink_to("/proc/self/environ"), ("outside",)),
    "huge-sparse-file": (lambda p: _sparse(p, 8 << 30), ("larger",)),
    "huge-real-file": (
        lambda p: p.write_text("#" * 100 + "\n" * (2 << 20) + (ROOT / "solutions" / "corr2d.py").read_text()),
        ("larger",),
    ),
    "folder": (lambda p: p.mkdir(), ("folder", "directory")),
    "unix-socket": (_socket_file, ("socket", "cannot be read")),
    "link-loop": (lambda p: p.symlink_to(p.name), ("link", "loop", "cannot be read")),
}


def _not_a_file(tmp_path: Path, name: str) -> Path:
    workspace = new_workspace(tmp_path / "ws")
    classmate = new_workspace(tmp_path / "classmate")
    shutil.copyfile(ROOT / "solutions" / "corr2d.py", classmate / "exercises" / "corr2d.py")
    target = workspace / "exercises" / "corr2d.py"
    target.unlink()
    NOT_FILES[name][0](target)
    return workspace


def _assert_refused(name: str, status: str, message: str) -> None:
    assert status == "unsafe_file", f"{name}: {status}: {message}"
    assert "corr2d.py" in message, message
    assert any(f in message.lower() for f in NOT_FILES[name][1]), (
        f"{name}: the message must say why: {message}"
    )


@pytest.mark.parametrize("name", sorted(NOT_FILES))
def test_run_check_refuses_what_is_not_a_file(tmp_path: Path, name: str) -> None:
    workspace = _not_a_file(tmp_path, name)
    started = time.monotonic()
    result = check("corr2d", workspace / "exercises" / "corr2d.py", root=workspace)
    assert time.monotonic() - started < 5
    _assert_refused(name, str(result.status), result.message)


@pytest.mark.parametrize(
    "name",
    ["link-to-dev-zero", "link-to-dev-stdin", "fifo", "huge-sparse-file", "link-to-the-solution", "folder"],
)
def test_tutor_check_refuses_what_is_not_a_file(tmp_path: Path, name: str) -> None:
    """`tutor check --json` with exercises/corr2d.py not a plain file: one verdict, promptly,
    saying why (its stdin stays open: reading /dev/stdin would block until the timeout)."""
    workspace = _not_a_file(tmp_path, name)
    started = time.monotonic()
    run = tutor_cli(workspace, "check", "corr2d", "--json", timeout=60)
    assert time.monotonic() - started < 30
    summary = f"exit {run.returncode}\nstdout: {run.stdout[-2000:]!r}\nstderr: {run.stderr[-2000:]!r}"
    assert run.returncode == 1, summary
    try:
        result = json.loads(run.stdout)
    except ValueError:
        pytest.fail(f"{name}: no verdict: {summary}")
    _assert_refused(name, result["status"], result["message"])


def test_a_helper_that_is_not_a_file_is_left_out_promptly(tmp_path: Path) -> None:
    """The exercise file imports a sibling module that is a link to /dev/zero: the sibling is not
    read (so the import fails in the worker), and nothing blocks."""
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "corr2d.py").write_text("from helper import corr2d\n", encoding="utf-8")
    (folder / "helper.py").symlink_to("/dev/zero")
    started = time.monotonic()
    result = check("corr2d", folder / "corr2d.py")
    assert time.monotonic() - started < 20
    assert str(result.status) == "import_error", result.message
    assert "helper" in result.message, result.message

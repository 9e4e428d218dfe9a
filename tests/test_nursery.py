"""The nursery (tutor/checking/nursery.py): one sandbox per graded workspace forks each check's
worker. A forked worker must be as good as a fresh one: the same verdicts, the same limits, a
clean /tmp, nothing left by the check before it, and no way to reach the nursery itself.

The hostile corpus runs through one nursery in tests/test_hostile.py, and the isolation attacks
that concern a worker's start in tests/test_sandbox_isolation.py (HOW)."""

from __future__ import annotations

import array
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import KERNEL_LIMITS, assert_worker_limits, check_file, requires_sandbox
from tutor.catalog import course
from tutor.checking.isolation import Isolation
from tutor.checking.nursery import Nursery, _sender
from tutor.checking.sandbox import Limits, Worker, WorkerKind
from tutor.checking.submission import snapshot

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ROOT / "tests" / "variants"


def kind_for(folder: Path, exercise_id: str = "corr2d", limits: Limits | None = None) -> WorkerKind:
    exercise = course().exercise(exercise_id)
    return WorkerKind(
        limits or Limits(),
        exercise.forbidden_imports(),
        exercise.allowed_imports,
        Path(os.path.abspath(folder)),
    )


def run_in(nursery: Nursery, path: Path, function: str, args: tuple = ()) -> object:
    """Load `path` in a worker forked by `nursery` and return what `function(*args)` returns."""
    worker = nursery.take(kind_for(path.parent))
    assert worker is not None, nursery.gone
    with worker.submit(snapshot(path)):
        loaded = worker.load(worker.student_path(path), path.stem, (function,))
        assert loaded.ok, (loaded.error, worker.output)
        reply = worker.call(function, args, {})
        assert reply.ok, (reply.error, worker.output)
        return reply.value


def write(folder: Path, name: str, source: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


@requires_sandbox
def test_every_check_finds_an_empty_tmp(tmp_path: Path) -> None:
    """What one check writes to /tmp and /dev/shm (even unreadable, in nested folders) is gone
    when the nursery forks the next check's worker."""
    path = write(
        tmp_path,
        "corr2d.py",
        """
        import os

        def litter():
            os.makedirs("/tmp/a/b", exist_ok=True)
            with open("/tmp/a/b/left.txt", "w") as handle:
                handle.write("left behind")
            os.chmod("/tmp/a/b", 0)
            with open("/dev/shm/left", "w") as handle:
                handle.write("left behind")
            return sorted(os.listdir("/tmp")) + sorted(os.listdir("/dev/shm"))

        def look():
            return sorted(os.listdir("/tmp")) + sorted(os.listdir("/dev/shm"))
        """,
    )
    with Nursery(tmp_path) as nursery:
        littered = run_in(nursery, path, "litter")
        assert "a" in littered and "left" in littered
        # What is left is the folder this test's workspace is bound at, when it is under /tmp.
        assert run_in(nursery, path, "look") == [n for n in littered if n not in ("a", "left")]
        assert nursery.forked == 2 and nursery.gone is None


@requires_sandbox
def test_a_worker_cannot_trace_or_read_the_nursery(tmp_path: Path) -> None:
    """The nursery forks every later worker: a student who could write into its memory would be
    in every later check. It is not dumpable, so its workers (same uid, no capabilities) can
    neither attach to it nor open its memory, and it still forks afterwards."""
    path = write(
        tmp_path,
        "corr2d.py",
        """
        import ctypes
        import os

        def attack():
            nursery = os.getppid()
            refused = []
            for name in ("mem", "environ", "maps"):
                try:
                    with open(f"/proc/{nursery}/{name}", "rb") as handle:
                        handle.read(1)
                except OSError:
                    refused.append(name)
            libc = ctypes.CDLL(None, use_errno=True)
            attached = libc.ptrace(16, nursery, None, None)  # PTRACE_ATTACH
            return {"refused": refused, "attached": attached, "nursery": nursery}
        """,
    )
    with Nursery(tmp_path) as nursery:
        report = run_in(nursery, path, "attack")
        assert report["refused"] == ["mem", "environ", "maps"], report
        assert report["attached"] == -1, report
        # Still serving, and the next worker is a child of the same nursery.
        assert run_in(nursery, path, "attack")["nursery"] == report["nursery"]
        assert nursery.gone is None


@requires_sandbox
def test_the_students_cannot_kill_the_nursery(tmp_path: Path) -> None:
    """The nursery is the sandbox's PID 1: a worker's SIGKILL or SIGSTOP to it (the same uid) is
    ignored, as a fresh worker's is by bwrap's init, and the check passes as it would there."""
    source = (ROOT / "solutions" / "corr2d.py").read_text(encoding="utf-8")
    (tmp_path / "corr2d.py").write_text(
        "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\nos.kill(os.getppid(), signal.SIGKILL)\n"
        + source,
        encoding="utf-8",
    )
    with Nursery(tmp_path) as nursery:
        for _ in range(2):
            result = check_file("corr2d", tmp_path / "corr2d.py", Isolation.SANDBOX, nursery)
            assert result.passed, result.message
        assert nursery.forked == 2 and nursery.gone is None


@requires_sandbox
def test_a_nursery_that_is_gone_leaves_the_checks_to_their_own_workers(tmp_path: Path) -> None:
    """When the nursery ends (here killed from outside), the next checks start workers of their
    own, with the verdicts they would get anyway."""
    shutil.copyfile(ROOT / "solutions" / "corr2d.py", tmp_path / "corr2d.py")
    with Nursery(tmp_path) as nursery:
        assert check_file("corr2d", tmp_path / "corr2d.py", Isolation.SANDBOX, nursery).passed
        assert nursery.forked == 1 and nursery._pid is not None
        os.kill(nursery._pid, signal.SIGKILL)
        result = check_file("corr2d", tmp_path / "corr2d.py", Isolation.SANDBOX, nursery)
        assert result.passed and result.isolation == "sandbox", result.message
        assert nursery.forked == 1 and nursery.gone is not None


@requires_sandbox
@pytest.mark.parametrize("exercise_id", ["corr2d", "conv2d", "max_pool2d"])
def test_the_same_verdicts_as_with_a_worker_of_its_own(tmp_path: Path, exercise_id: str) -> None:
    """Variants of the exercise, right and wrong (every third, for time), checked one after the
    other in one folder through one nursery, get the verdict, message and output they get from a
    worker of their own."""
    variants = sorted((VARIANTS / exercise_id).glob("*.py"))[::3]
    assert len(variants) >= 4
    target = tmp_path / f"{exercise_id}.py"
    with Nursery(tmp_path) as nursery:
        for variant in variants:
            shutil.copyfile(variant, target)
            own = check_file(exercise_id, target, Isolation.SANDBOX)
            forked = check_file(exercise_id, target, Isolation.SANDBOX, nursery)
            assert (forked.status, forked.message) == (own.status, own.message), variant.name
            assert forked.output == own.output, variant.name
        assert nursery.gone is None and nursery.forked >= len(variants) // 2


@requires_sandbox
def test_a_forked_worker_has_its_limits_and_a_scrubbed_environment(tmp_path: Path) -> None:
    """Read by this process from /proc: the limits are the check's, set in the forked worker
    (the nursery has none of them), and its environment is what a worker's is."""
    with Nursery(tmp_path) as nursery:
        worker = nursery.take(kind_for(tmp_path, limits=KERNEL_LIMITS))
        assert worker is not None, nursery.gone
        with worker:
            worker.ping()
            text = Path(f"/proc/{worker.pid}/limits").read_text()
            environ = Path(f"/proc/{worker.pid}/environ").read_bytes()
            nursery_limits = Path(f"/proc/{_parent(worker.pid)}/limits").read_text()
    assert_worker_limits(text, environ)
    assert str(1536 * 1024 * 1024) not in nursery_limits  # the limits are the worker's alone


def _parent(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_bytes()
    return int(stat[stat.rfind(b")") + 2 :].split()[1])


@requires_sandbox
def test_the_nursery_serves_only_numpy_checks_of_its_own_folder(tmp_path: Path) -> None:
    """Another folder (a fairness copy), an exercise given more than NumPy (LeNet's torch) or a
    check without the sandbox: not the nursery's, and it starts nothing for them."""
    with Nursery(tmp_path) as nursery:
        assert nursery.take(kind_for(tmp_path / "elsewhere")) is None
        assert nursery.take(kind_for(tmp_path, "lenet")) is None
        plain = WorkerKind(Limits(), (), (), Path(os.path.abspath(tmp_path)), Isolation.NONE)
        assert nursery.take(plain) is None
        assert nursery.forked == 0 and nursery.gone is None


def test_file_descriptors_sent_to_the_grader_are_closed_unread() -> None:
    """A message on the control socket may carry descriptors (SCM_RIGHTS): the grader closes
    them at once, so nothing from the sandbox lands open in the grader."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    ours.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    read_end, write_end = os.pipe()
    try:
        socket.send_fds(theirs, [b"{}"], [read_end, write_end])
        _, ancillary, _, _ = ours.recvmsg(1024, socket.CMSG_SPACE(12) + socket.CMSG_SPACE(64 * 4))
        received = array.array("i")
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                received.frombytes(payload)
        assert len(received) == 2
        assert _sender(ancillary) == os.getpid()  # the kernel's word for who sent it
        for fd in received:
            with pytest.raises(OSError):
                os.fstat(fd)
    finally:
        for fd in (read_end, write_end):
            os.close(fd)
        ours.close()
        theirs.close()


def test_a_worker_never_started_leaves_no_folder() -> None:
    """Workers a nursery could not fork are stopped before they start: their folders go too."""
    worker = Worker(Limits(), ())
    folder = Path(worker._tmp)
    assert folder.is_dir()
    worker.stop()
    assert not folder.exists()


@requires_sandbox
def test_grading_a_workspace_forks_its_workers_with_the_same_grades(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tutor grade` with its nursery and without: the same report, exercise by exercise. The
    dependent exercise graded with the reference of a failing dependency runs in another folder
    (a staged copy) and starts its own worker, as before."""
    from tutor.grading.config import load_config
    from tutor.grading.runner import GradeOptions, grade_workspace
    from tutor.workspace import init_workspace

    workspace, _ = init_workspace(tmp_path / "ws", course(), student="s1")
    for exercise_id, source in [
        ("corr2d", ROOT / "solutions" / "corr2d.py"),
        ("conv2d", VARIANTS / "conv2d" / "wrong_flipped_kernel.py"),
        ("residual_block", ROOT / "solutions" / "residual_block.py"),
    ]:
        shutil.copyfile(source, workspace.exercise_file(course().exercise(exercise_id)))
    toml = tmp_path / "grading.toml"
    toml.write_text('[assignments.t]\ntitle = "T"\nexercises = ["corr2d", "conv2d", "residual_block"]\n')
    config = load_config(toml, course())
    taken = []
    real_take = Nursery.take

    def spy(self: Nursery, kind: WorkerKind) -> Worker | None:
        worker = real_take(self, kind)
        taken.append(worker is not None)
        return worker

    monkeypatch.setattr(Nursery, "take", spy)
    reports = [
        grade_workspace(workspace, course(), GradeOptions(config=config, assignment="t", nursery=nursery))
        for nursery in (True, False)
    ]
    assert taken == [True, True], taken  # corr2d, conv2d; not residual_block's staged copy
    forked, own = ([(e.id, e.status, e.points, e.message) for e in r.exercises] for r in reports)
    assert forked == own
    assert [status for _, status, _, _ in forked] == ["passed", "failed", "passed"], forked


def test_descendants_from_the_children_files_match_a_scan_of_every_process(tmp_path: Path) -> None:
    """_descendants walks /proc/PID/task/TID/children (a few files per process) instead of every
    process's stat file: both find the same tree, including a child that a thread forked and a
    grandchild whose parent left its process group."""
    from tutor.checking import sandbox

    script = textwrap.dedent(
        """
        import os, subprocess, sys, threading, time
        children = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])]
        def fork_from_a_thread():
            children.append(subprocess.Popen([sys.executable, "-c",
                "import os, subprocess, sys, time; os.setsid(); "
                "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"]))
        thread = threading.Thread(target=fork_from_a_thread)
        thread.start(); thread.join()
        print("ready", flush=True)
        time.sleep(60)
        """
    )
    root = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, start_new_session=True)
    try:
        assert root.stdout is not None and root.stdout.readline().strip() == b"ready"
        deadline = time.monotonic() + 10
        while len(sandbox._descendants_by_scan(root.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        scanned = sorted(sandbox._descendants_by_scan(root.pid))
        assert len(scanned) == 3, scanned
        if sandbox._CHILDREN_FILES:
            assert sorted(sandbox._descendants(root.pid)) == scanned
    finally:
        for pid in [*sandbox._descendants_by_scan(root.pid), root.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        root.wait()

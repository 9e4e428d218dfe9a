"""The pieces the sandbox is built from: which files it reads, what it mounts, how it reports exits."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.conftest import requires_sandbox
from tutor.checking import isolation
from tutor.checking.submission import MAX_FILE_BYTES, UnsafeFile, read_regular_file, snapshot


def test_a_regular_file_in_the_folder_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    assert read_regular_file(tmp_path / "a.py", tmp_path) == b"x = 1\n"


def test_a_link_inside_the_folder_is_followed_and_a_link_out_of_it_is_refused(tmp_path: Path) -> None:
    inside, outside = tmp_path / "ws", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    (inside / "real.py").write_text("x = 1\n")
    (outside / "theirs.py").write_text("y = 2\n")
    (inside / "alias.py").symlink_to(inside / "real.py")
    (inside / "stolen.py").symlink_to(outside / "theirs.py")
    assert read_regular_file(inside / "alias.py", inside) == b"x = 1\n"
    with pytest.raises(UnsafeFile, match="outside"):
        read_regular_file(inside / "stolen.py", inside)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_link_to_a_device_is_refused(tmp_path: Path, device: str) -> None:
    (tmp_path / "conv2d.py").symlink_to(device)
    with pytest.raises(UnsafeFile):
        read_regular_file(tmp_path / "conv2d.py", tmp_path)
    with pytest.raises(UnsafeFile, match="character device"):  # even when the folder is not the limit
        read_regular_file(tmp_path / "conv2d.py", Path("/"))


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "conv2d.py")
    started = time.monotonic()
    with pytest.raises(UnsafeFile, match="FIFO"):
        read_regular_file(tmp_path / "conv2d.py", tmp_path)
    assert time.monotonic() - started < 1


def test_stdin_with_an_open_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    read, write = os.pipe()
    try:
        (tmp_path / "conv2d.py").symlink_to(f"/proc/self/fd/{read}")
        with pytest.raises(UnsafeFile):
            read_regular_file(tmp_path / "conv2d.py", Path("/"))
    finally:
        os.close(read)
        os.close(write)


def test_a_folder_and_a_huge_file_are_refused(tmp_path: Path) -> None:
    (tmp_path / "folder.py").mkdir()
    with pytest.raises(UnsafeFile, match="folder"):
        read_regular_file(tmp_path / "folder.py", tmp_path)
    with open(tmp_path / "big.py", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(UnsafeFile, match="larger"):
        read_regular_file(tmp_path / "big.py", tmp_path)


def test_a_missing_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_regular_file(tmp_path / "nothing.py", tmp_path)


def test_the_snapshot_holds_the_file_and_the_siblings_it_imports_transitively(tmp_path: Path) -> None:
    (tmp_path / "residual_block.py").write_text("from conv2d import conv2d\nimport numpy as np\n")
    (tmp_path / "conv2d.py").write_text("import _helpers\n")
    (tmp_path / "_helpers.py").write_text("X = 1\n")
    (tmp_path / "classmate.py").write_text("SECRET = 1\n")  # not imported: not copied
    taken = snapshot(tmp_path / "residual_block.py", tmp_path)
    assert sorted(taken.files) == ["_helpers.py", "conv2d.py", "residual_block.py"]
    assert taken.source.startswith(b"from conv2d")


def test_a_sibling_that_is_not_a_regular_file_is_left_out(tmp_path: Path) -> None:
    (tmp_path / "conv2d.py").write_text("import helper\n")
    (tmp_path / "helper.py").symlink_to("/dev/zero")
    assert sorted(snapshot(tmp_path / "conv2d.py", tmp_path).files) == ["conv2d.py"]


def test_bwrap_exit_codes_are_read_as_signals_only_in_the_sandbox() -> None:
    assert isolation.exit_signal(-int(signal.SIGSEGV), sandboxed=False) == signal.SIGSEGV
    assert isolation.exit_signal(128 + int(signal.SIGKILL), sandboxed=True) == signal.SIGKILL
    assert isolation.exit_signal(128 + int(signal.SIGKILL), sandboxed=False) is None
    assert isolation.exit_signal(0, sandboxed=True) is None
    assert isolation.exit_signal(3, sandboxed=True) is None


def test_numpy_is_mounted_alone_and_torch_with_what_its_metadata_requires() -> None:
    numpy_binds, numpy_path = isolation.package_mounts(("numpy",))
    names = {Path(p).name for p in numpy_binds}
    assert "numpy" in names and not any(n.startswith(("torch", "hypothesis", "tutor")) for n in names)
    torch_binds, _ = isolation.package_mounts(("torch",))
    names = {Path(p).name for p in torch_binds}
    assert "torch" in names
    required = [d for d in isolation.distribution_closure(("torch",)) if d.metadata["Name"] != "torch"]
    assert required, "torch requires other distributions (sympy, typing-extensions, ...)"
    for dist in required:
        assert set(map(str, isolation.distribution_paths(dist))) <= set(torch_binds)
    assert numpy_path and all(os.path.isdir(p) for p in numpy_path)


def test_every_site_folder_of_the_grader_is_hidden_inside_a_bound_tree() -> None:
    import site

    hidden = isolation._hidden_site_dirs(["/"])
    for folder in [*site.getsitepackages(), str(Path(isolation.__file__).resolve().parents[1])]:
        if os.path.isdir(folder):
            assert os.path.realpath(folder) in hidden


def test_without_bwrap_there_is_no_sandbox_and_it_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    isolation.support.cache_clear()
    try:
        monkeypatch.setenv(isolation.BWRAP_VARIABLE, "")
        found = isolation.support()
        assert not found.available and "turned off" in found.detail
        assert found.isolation is isolation.Isolation.NONE
        monkeypatch.setenv(isolation.BWRAP_VARIABLE, "/nonexistent/bwrap")
        isolation.support.cache_clear()
        assert "not installed" in isolation.support().detail
    finally:
        monkeypatch.undo()
        isolation.support.cache_clear()


def test_a_worker_that_must_be_sandboxed_refuses_to_start_without_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tutor.checking.sandbox import Limits, Worker

    isolation.support.cache_clear()
    try:
        monkeypatch.setenv(isolation.BWRAP_VARIABLE, "")
        with pytest.raises(isolation.SandboxUnavailable, match="turned off"):
            Worker(Limits(), (), isolation=isolation.Isolation.SANDBOX)
        plain = Worker(Limits(), ())
        assert plain.isolation is isolation.Isolation.NONE
        with plain:
            assert plain.ping().ok
    finally:
        monkeypatch.undo()
        isolation.support.cache_clear()


@requires_sandbox
def test_a_sandbox_that_cannot_start_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    """bwrap's own complaint reaches the message, not just an exit code."""
    from tutor.checking.sandbox import Limits, Worker, WorkerFailure

    worker = Worker(Limits(), ())
    monkeypatch.setattr(isolation, "RUNTIME_DIR", "/proc/cannot-mount-here")
    monkeypatch.setattr("tutor.checking.sandbox.RUNTIME_DIR", "/proc/cannot-mount-here")
    with worker, pytest.raises(WorkerFailure) as failure:
        worker.ping()
    assert failure.value.kind == "startup"
    assert "bwrap" in failure.value.detail, failure.value.detail


SPIN = '''\
import time


def spin(cpu_seconds):
    """Busy for this much CPU time, however long that takes on the wall clock."""
    end = time.process_time() + cpu_seconds
    while time.process_time() < end:
        pass
    return cpu_seconds


def nap(seconds):
    time.sleep(seconds)
'''


@pytest.fixture
def one_busy_cpu():  # noqa: ANN201
    """This process, what it starts, and three busy loops share one CPU: a machine under load."""
    import subprocess
    import sys

    if not hasattr(os, "sched_setaffinity"):
        pytest.skip("needs sched_setaffinity (Linux)")
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    # Each in a session of its own: the kernel's autogroups share a CPU between sessions first, and
    # the worker runs in its own session too.
    hogs = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True) for _ in range(3)
    ]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
        os.sched_setaffinity(0, before)


def test_time_spent_waiting_for_a_busy_cpu_does_not_count_against_the_call(
    tmp_path: Path, one_busy_cpu: None
) -> None:
    """1 s of work with a 2 s allowance passes while three busy loops share its CPU (about 4 s of
    wall time); a call that sleeps past its allowance still times out on time."""
    from tutor.checking.sandbox import Limits, Worker, WorkerFailure

    target = tmp_path / "spin.py"
    target.write_text(SPIN)
    limits = Limits(call_seconds=2.0, total_seconds=30.0)
    with Worker(limits, (), submission=snapshot(target)) as worker:
        assert worker.load(worker.student_path(target), "spin", ("spin", "nap")).ok, worker.output
        started = time.monotonic()
        reply = worker.call("spin", (1.0,), {})
        took = time.monotonic() - started
        assert reply.ok, reply.error
        assert took > limits.call_seconds, f"the CPU was not busy enough to test anything ({took:.1f} s)"
        assert worker.starved_seconds > 0.5
    with Worker(limits, (), submission=snapshot(target)) as worker:
        assert worker.load(worker.student_path(target), "spin", ("spin", "nap")).ok, worker.output
        started = time.monotonic()
        with pytest.raises(WorkerFailure) as failure:
            worker.call("nap", (60,), {})
        assert failure.value.kind == "timeout"
        assert time.monotonic() - started < limits.call_seconds + 2.0


def test_distribution_paths_read_from_record_are_those_its_files_list() -> None:
    """RECORD is parsed as text for speed; it must name the same top-level paths as `dist.files`."""
    for dist in isolation.distribution_closure(("numpy", "torch")):
        base = Path(str(dist.locate_file(""))).resolve()
        listed = []
        for file in dist.files or ():
            parts = Path(str(file)).parts
            if not parts or parts[0] in ("..", "/") or parts[0].startswith("__pycache__"):
                continue
            top = str(base / parts[0])
            if top not in listed and os.path.exists(top):
                listed.append(top)
        assert isolation.distribution_paths(dist) == listed, dist.metadata["Name"]

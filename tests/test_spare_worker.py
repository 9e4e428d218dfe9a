"""A worker started ahead of its check (SpareWorker, watch mode): it serves only the check it was
started for, runs only the snapshot it is given, and leaves nothing behind when it is not used."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from tutor.checking.sandbox import WORKER_TOKEN, Limits, SpareWorker, Worker, WorkerKind
from tutor.checking.submission import snapshot

LIMITS = Limits(call_seconds=20.0, total_seconds=60.0)
TWICE = "def twice(x):\n    return 2 * x\n"


def kind_for(folder: Path, **changes: object) -> WorkerKind:
    values: dict = {"limits": LIMITS, "forbidden": ("torch",), "provided": (), "folder": folder.absolute()}
    return WorkerKind(**(values | changes))


def gone(pid: int) -> bool:
    """No such process any more (a zombie of ours counts as gone: it runs nothing)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except OSError:
        return True


def carrying(token: str) -> list[int]:
    """Processes whose environment carries this worker token."""
    marker = f"{WORKER_TOKEN}={token}".encode()
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                if marker in handle.read().split(b"\0"):
                    found.append(int(entry))
        except OSError:
            continue
    return found


def test_an_unused_spare_is_stopped_with_everything_it_started(tmp_path: Path) -> None:
    spare = SpareWorker()
    spare.prepare(kind_for(tmp_path))
    worker = spare._worker
    assert worker is not None and worker.alive()
    pid, folder, token = worker.pid, Path(worker._tmp), worker._token
    assert pid is not None and folder.is_dir()
    assert worker.ping().ok  # it really runs (and said hello)
    assert carrying(token), "the worker's processes carry its token"
    spare.close()
    assert spare.pid is None and gone(pid)
    assert not folder.exists(), "its private folder was left behind"
    assert carrying(token) == []


def test_a_spare_serves_only_its_own_kind_and_only_while_it_runs(tmp_path: Path) -> None:
    with SpareWorker() as spare:
        spare.prepare(kind_for(tmp_path))
        first = spare.pid
        spare.prepare(kind_for(tmp_path))
        assert spare.pid == first, "one of the same kind is kept"
        for other in (
            kind_for(tmp_path / "elsewhere"),
            kind_for(tmp_path, forbidden=()),
            kind_for(tmp_path, limits=Limits(call_seconds=1.0)),
            kind_for(tmp_path, provided=("torch",)),
        ):
            spare.prepare(kind_for(tmp_path))
            pid = spare.pid
            assert pid is not None
            assert spare.take(other) is None
            assert gone(pid), f"a spare of another kind was left running ({other})"
        spare.prepare(kind_for(tmp_path))
        pid = spare.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while spare._worker is not None and spare._worker.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert spare.take(kind_for(tmp_path)) is None, "a dead spare was handed out"


def test_a_spare_runs_the_snapshot_it_is_given_and_nothing_written_before(tmp_path: Path) -> None:
    target = tmp_path / "twice.py"
    target.write_text("def twice(x):\n    return 'before the worker started'\n")
    kind = kind_for(tmp_path)
    with SpareWorker() as spare:
        spare.prepare(kind)
        worker = spare.take(kind)
    assert worker is not None
    with worker:
        target.write_text(TWICE)
        submission = snapshot(target)
        target.write_text("def twice(x):\n    return 'after the snapshot'\n")
        worker.submit(submission)
        assert worker.load(worker.student_path(target), "twice", ("twice",)).ok, worker.output
        assert worker.call("twice", (21,), {}).value == 42
        with pytest.raises(ValueError, match="not given its files yet"):
            worker.submit(submission)


def test_submit_refuses_a_worker_not_started_ahead_or_another_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    target = tmp_path / "a" / "twice.py"
    target.write_text(TWICE)
    with Worker(LIMITS, (), submission=snapshot(target)) as worker, pytest.raises(ValueError):
        worker.submit(snapshot(target))
    with Worker(LIMITS, (), folder=tmp_path / "b") as worker, pytest.raises(ValueError, match="not"):
        worker.submit(snapshot(target))
    never_started = Worker(LIMITS, (), folder=tmp_path / "a")
    with pytest.raises(ValueError, match="started ahead"):
        never_started.submit(snapshot(target))
    shutil.rmtree(never_started._tmp)

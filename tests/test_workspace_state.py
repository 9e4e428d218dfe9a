"""The tutor's own state: corrupt or hand-edited progress is reported and rebuilt, concurrent
checks do not corrupt it, and the worker limits come from tutor.toml and the command line."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SOLUTIONS
from tutor.catalog import course
from tutor.cli import cli
from tutor.core import limits_for
from tutor.errors import UsageError
from tutor.workspace import Progress, find_workspace, init_workspace


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    ws, _ = init_workspace(tmp_path / "ws", course(), student="s1")
    monkeypatch.chdir(ws.root)
    return ws


def _tutor(*args: str):  # noqa: ANN202
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


CORRUPT = {
    "not json": b"{ this is not json",
    "truncated write": b'{"conv2d": {"status": "passed", "sha25',
    "not an object": b'["conv2d", "passed"]',
    "binary": b"\xff\xfe\x00garbage",
    "deep nesting": b"[" * 100_000,
}


@pytest.mark.parametrize("kind", sorted(CORRUPT))
def test_list_reports_and_rebuilds_corrupt_progress(workspace, kind: str) -> None:  # noqa: ANN001
    path = workspace.progress().path
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(CORRUPT[kind])
    result = _tutor("list")
    assert result.exit_code == 0, result.output
    assert "progress.json" in result.stderr and "rebuilt" in result.stderr, result.stderr
    assert json.loads(path.read_text()) == {}
    kept = list(path.parent.glob("progress.corrupt-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == CORRUPT[kind]
    again = _tutor("list")  # reported once: the rebuilt file is fine
    assert "rebuilt" not in again.stderr


def test_hand_edited_entries_are_dropped_and_reported(workspace) -> None:  # noqa: ANN001
    path = workspace.progress().path
    path.parent.mkdir(exist_ok=True)
    good = {"status": "failed", "sha256": None, "checked_at": "2026-01-01T00:00:00"}
    path.write_text(json.dumps({"corr2d": good, "conv2d": "passed", "relu": {"status": 1}}))
    result = _tutor("list", "--json")
    assert result.exit_code == 0
    assert "conv2d" in result.stderr and "did not write" in result.stderr
    assert json.loads(path.read_text()) == {"corr2d": good}


def test_progress_that_is_a_directory_is_set_aside(workspace) -> None:  # noqa: ANN001
    path = workspace.progress().path
    path.mkdir(parents=True)
    result = _tutor("list")
    assert result.exit_code == 0 and "cannot be read" in result.stderr
    assert path.is_file()


def test_check_on_corrupt_progress_records_the_new_verdict(workspace) -> None:  # noqa: ANN001
    shutil.copyfile(SOLUTIONS / "corr2d.py", workspace.root / "exercises" / "corr2d.py")
    path = workspace.progress().path
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b"\x00\x00 half a file")
    result = _tutor("check", "corr2d", "--json")
    assert result.exit_code == 0, result.output + result.stderr
    assert json.loads(result.stdout)["passed"] is True  # stdout stays one JSON object
    assert "rebuilt" in result.stderr
    assert json.loads(path.read_text())["corr2d"]["status"] == "passed"


def _hammer(path: str, worker: int, count: int) -> None:
    store = Progress(Path(path))
    for i in range(count):
        store.record(f"w{worker}-{i}", "failed", None)


def test_concurrent_updates_lose_nothing(tmp_path: Path) -> None:
    """Four processes updating one file under the lock: every key survives, and a reader running
    at the same time never sees a half-written file."""
    path = tmp_path / ".tutor" / "progress.json"
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_hammer, args=(str(path), w, 25)) for w in range(4)]
    for writer in writers:
        writer.start()
    reader = Progress(path)
    while any(w.is_alive() for w in writers):
        reader.problem = None
        reader.read()
        assert reader.problem is None, reader.problem
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    data = json.loads(path.read_text())
    assert set(data) == {f"w{w}-{i}" for w in range(4) for i in range(25)}


def test_two_real_checks_at_once_in_one_workspace(workspace) -> None:  # noqa: ANN001
    """Two `tutor check` processes started together: both verdicts are recorded, the file is valid."""
    for exercise in ("corr2d", "conv2d"):
        shutil.copyfile(SOLUTIONS / f"{exercise}.py", workspace.root / "exercises" / f"{exercise}.py")
    tutor = shutil.which("tutor", path=os.path.dirname(sys.executable)) or "tutor"
    env = {k: v for k, v in os.environ.items() if k != "CI"}  # the local path, with the replay database
    runs = [
        subprocess.Popen(
            [tutor, "check", exercise, "--json"],
            cwd=workspace.root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for exercise in ("corr2d", "conv2d", "corr2d")
    ]
    outputs = [run.communicate(timeout=180) for run in runs]
    for run, (out, err) in zip(runs, outputs):
        assert run.returncode == 0, err.decode()
        assert json.loads(out)["passed"] is True
    data = json.loads(workspace.progress().path.read_text())
    assert data["corr2d"]["status"] == data["conv2d"]["status"] == "passed"
    assert not list(workspace.state_dir().glob("progress.corrupt-*"))
    assert not list(workspace.state_dir().glob(".progress.json.*")), "a temporary file was left behind"


# -- limits: defaults, tutor.toml, command line ----------------------------------------------------


def test_limits_from_toml_then_command_line(workspace) -> None:  # noqa: ANN001
    config = workspace.root / "tutor.toml"
    config.write_text(config.read_text() + "\n[limits]\nmemory_mb = 1024\ncall_seconds = 3.5\n")
    limits = limits_for(find_workspace(workspace.root), call_seconds=2.0)
    assert (limits.memory_mb, limits.call_seconds, limits.total_seconds) == (1024, 2.0, 45.0)


@pytest.mark.parametrize(
    "table", ['memory_mb = "lots"', "call_seconds = -1", "processes = 1.5", "cpu_seconds = 0"]
)
def test_bad_limits_in_toml_are_a_usage_error(workspace, table: str) -> None:  # noqa: ANN001
    config = workspace.root / "tutor.toml"
    config.write_text(config.read_text() + f"\n[limits]\n{table}\n")
    with pytest.raises(UsageError, match="limits"):
        limits_for(find_workspace(workspace.root))
    result = _tutor("check", "corr2d")
    assert result.exit_code == 2 and "limits." in result.stderr


def test_limit_options_on_the_command_line(workspace) -> None:  # noqa: ANN001
    bad = _tutor("check", "corr2d", "--memory-mb", "10")
    assert bad.exit_code == 2 and "--memory-mb" in bad.output + bad.stderr
    shutil.copyfile(SOLUTIONS / "corr2d.py", workspace.root / "exercises" / "corr2d.py")
    ok = _tutor(
        "check",
        "corr2d",
        "--json",
        "--memory-mb",
        "768",
        "--cpu-seconds",
        "30",
        "--total-seconds",
        "40",
        "--timeout",
        "5",
    )
    assert ok.exit_code == 0, ok.stdout + ok.stderr
    # A tiny memory limit is honoured: NumPy cannot even start, and the message says it is not the student's code.
    starved = _tutor("check", "corr2d", "--json", "--memory-mb", "64")
    verdict = json.loads(starved.stdout)
    assert starved.exit_code == 1 and verdict["status"] == "crashed", verdict
    assert "could not start" in verdict["message"] and "not your code" in verdict["message"]


def test_hand_edited_hint_levels_do_not_crash_hint(workspace) -> None:  # noqa: ANN001
    path = workspace.hints().path
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({"corr2d": "lots", "conv2d": 1}))
    result = _tutor("hint", "corr2d")
    assert result.exit_code == 0, result.output
    assert json.loads(path.read_text()) == {"conv2d": 1, "corr2d": 1}

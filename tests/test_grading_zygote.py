"""grade-class forks each `tutor grade` from a warm zygote (tutor/grading/zygote.py): the same
rows and reports as a fresh process, the same limits, and plain subprocesses when it is missing."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import requires_sandbox
from tests.test_grading_class import _marked
from tutor.cli import cli
from tutor.grading import classgrade
from tutor.grading.classgrade import RowStatus, grade_class
from tutor.grading.zygote import Zygote, ZygoteUnavailable

ROOT = Path(__file__).resolve().parent.parent
GRADING = """
[assignments.hw]
title = "Two exercises"
exercises = ["conv_output_size", "activations"]
"""
HANGS = "import time\n\ndef conv_output_size(n, f, p=0, s=1):\n    time.sleep(600)\n"


def _workspace(
    folder: Path, student: str, solved: tuple[str, ...] = (), files: dict[str, str] | None = None
) -> Path:
    assert CliRunner().invoke(cli, ["init", str(folder), "--student", student]).exit_code == 0
    for exercise in solved:
        shutil.copyfile(ROOT / "solutions" / f"{exercise}.py", folder / "exercises" / f"{exercise}.py")
    for name, text in (files or {}).items():
        (folder / "exercises" / name).write_text(text)
    return folder


def _spawns(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids the zygote forked during the test."""
    pids: list[int] = []
    original = Zygote.spawn

    def spy(self: Zygote, *args: object, **kwargs: object):  # noqa: ANN202
        child = original(self, *args, **kwargs)  # type: ignore[arg-type]
        pids.append(child.pid)
        return child

    monkeypatch.setattr(Zygote, "spawn", spy)
    return pids


def _reports(folder: Path) -> dict[str, dict]:
    """Each report without what differs from run to run (times, dates)."""
    found = {}
    for path in sorted(folder.iterdir()):
        report = json.loads(path.read_text())
        for key in ("graded_at", "seconds", "environment"):
            report.pop(key)
        for exercise in report["exercises"]:
            exercise.pop("seconds", None)
        found[path.name] = report
    return found


@requires_sandbox
def test_a_class_graded_warm_gets_the_rows_and_reports_of_fresh_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "grading.toml").write_text(GRADING)
    _workspace(tmp_path / "class" / "a", "a", solved=("conv_output_size", "activations"))
    _workspace(tmp_path / "class" / "b", "b", solved=("conv_output_size",))
    folders = sorted((tmp_path / "class").iterdir())
    forked = _spawns(monkeypatch)
    warm = grade_class(
        folders, jobs=2, reports_dir=tmp_path / "warm", config=tmp_path / "grading.toml", assignment="hw"
    )
    assert len(forked) == 2
    monkeypatch.setattr(classgrade, "Zygote", _unavailable)
    cold = grade_class(
        folders, jobs=2, reports_dir=tmp_path / "cold", config=tmp_path / "grading.toml", assignment="hw"
    )
    assert len(forked) == 2  # no zygote the second time
    assert [(r.student, r.status, r.total, r.points) for r in warm] == [
        (r.student, r.status, r.total, r.points) for r in cold
    ]
    assert [r.total for r in warm] == [13.0, 5.0]
    assert _reports(tmp_path / "warm") == _reports(tmp_path / "cold")


def _unavailable(*args: object, **kwargs: object) -> Zygote:
    raise ZygoteUnavailable("switched off for this test")


@requires_sandbox
def test_a_forked_grade_that_runs_too_long_is_stopped_with_everything_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "grading.toml").write_text(GRADING)
    folder = _workspace(tmp_path / "slow", "slow", files={"conv_output_size.py": HANGS})
    forked = _spawns(monkeypatch)
    seen: list[int] = []
    original = classgrade._stop

    def stop(process):  # noqa: ANN001, ANN202 - what was running when the limit passed
        seen.extend(_marked(str(tmp_path)))
        original(process)

    monkeypatch.setattr(classgrade, "_stop", stop)
    (row,) = grade_class([folder], timeout=8.0, config=tmp_path / "grading.toml", assignment="hw")
    assert row.status == RowStatus.TIMEOUT and row.total is None
    (pid,) = forked
    assert not Path(f"/proc/{pid}").exists()
    assert seen  # the test can see a worker at all: one was running when the limit passed
    assert not _marked(str(tmp_path))  # and it is gone, with the forked grade


def test_the_grade_class_command_still_grades_when_the_zygote_cannot_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _workspace(tmp_path / "class" / "a", "a")
    monkeypatch.setattr(classgrade, "Zygote", _unavailable)
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(cli, ["grade-class", "class", "--output", "book.csv", "--no-sandbox"])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader((tmp_path / "book.csv").open()))
    assert [(r["student"], r["status"]) for r in rows] == [("a", "graded")]


def test_the_zygote_forks_the_tutor_command_in_the_folder_and_environment_asked(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_bytes(b"")
    with Zygote() as zygote:
        child = zygote.spawn(
            ["--version"], tmp_path, {"PATH": os.environ.get("PATH", ""), "COLUMNS": "77"}, log
        )
        assert child.wait(timeout=60) == 0
        assert "tutor" in log.read_text().lower()
        failing = zygote.spawn(["no-such-command"], tmp_path, {}, log)
        assert failing.wait(timeout=60) == 2  # click's usage error, as from a fresh process

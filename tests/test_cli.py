"""The CLI as a user drives it: click's CliRunner for most paths, a real subprocess end to end."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SOLUTIONS, VARIANTS
from tutor.cli import cli


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    runner = CliRunner()
    result = runner.invoke(cli, ["init", str(tmp_path / "ws"), "--student", "s123"])
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(tmp_path / "ws")
    return tmp_path / "ws"


def run(*args: str, input: str | None = None):  # noqa: ANN201
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_init_writes_stubs_config_and_readme(workspace: Path) -> None:
    assert (workspace / "tutor.toml").read_text().count('student = "s123"') == 1
    assert (workspace / "README.md").is_file()
    stubs = sorted(p.name for p in (workspace / "exercises").glob("*.py"))
    assert {"conv2d.py", "corr2d.py", "conv_output_size.py"} <= set(stubs)
    assert not list(workspace.rglob("solutions"))
    again = CliRunner().invoke(cli, ["init", str(workspace)])
    assert again.exit_code == 1 and "already a cnn-tutor workspace" in again.output


def test_outside_a_workspace_says_how_to_make_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("next")
    assert result.exit_code == 2
    assert "tutor init" in result.output


def test_list_json_and_next(workspace: Path) -> None:
    rows = json.loads(run("list", "--json").output)
    assert rows[0]["id"] == "corr2d" and all(r["status"] == "not started" for r in rows)
    assert {"id", "status", "points", "session"} <= set(rows[0])
    shown = run("next").output
    assert (
        "cross-correlation" in shown.lower()
        and "exercises/corr2d.py" in shown
        and "tutor check corr2d" in shown
    )
    home = run()
    assert home.exit_code == 0 and "corr2d" in home.output  # bare `tutor` points at the next exercise


def test_show_and_hints_one_level_at_a_time(workspace: Path) -> None:
    assert "⌊(n + 2p − f) / s⌋ + 1" in run("show", "conv_output_size").output
    first = run("hint", "conv2d").output
    second = run("hint", "conv2d").output
    assert "1." in first and "2." not in first
    assert "2." in second
    everything = run("hint", "conv2d", "--all").output
    assert "4." in everything


def test_unknown_exercise_is_a_usage_error(workspace: Path) -> None:
    for command in (["show", "conv3d"], ["check", "conv3d"], ["hint", "conv3d"]):
        result = run(*command)
        assert result.exit_code == 2, command
        assert "conv3d" in result.output and "tutor list" in result.output


def test_check_records_pass_and_failure_keeps_other_progress(workspace: Path) -> None:
    shutil.copy(SOLUTIONS / "corr2d.py", workspace / "exercises" / "corr2d.py")
    passed = run("check", "corr2d")
    assert passed.exit_code == 0, passed.output
    assert "passed" in passed.output
    shutil.copy(VARIANTS / "conv2d" / "wrong_flipped_kernel.py", workspace / "exercises" / "conv2d.py")
    failed = run("check", "conv2d", "--json")
    assert failed.exit_code == 1
    verdict = json.loads(failed.output)
    assert verdict["passed"] is False and verdict["status"] == "failed" and verdict["exercise"] == "conv2d"
    assert "flipped the kernel" in verdict["diagnosis"]
    assert verdict["counterexample"]["reproduce"].startswith("import numpy as np")
    states = {r["id"]: r["status"] for r in json.loads(run("list", "--json").output)}
    assert states["corr2d"] == "done" and states["conv2d"] == "failing"
    assert json.loads(run("list", "--json").output)[0]["id"] == "corr2d"
    rows = json.loads(run("list", "--json").output)
    upcoming = next(r for r in rows if r["status"] != "done")
    assert upcoming["id"] != "corr2d"
    assert upcoming["id"] in run("next").output  # next skips what is done
    (workspace / "exercises" / "corr2d.py").write_text((SOLUTIONS / "corr2d.py").read_text() + "\n# edited\n")
    states = {r["id"]: r["status"] for r in json.loads(run("list", "--json").output)}
    assert states["corr2d"] == "changed since it passed"


def test_check_missing_file_is_a_usage_error(workspace: Path) -> None:
    (workspace / "exercises" / "corr2d.py").unlink()
    result = run("check", "corr2d")
    assert result.exit_code == 2 and "tutor reset corr2d" in result.output


def test_stub_check_says_not_implemented(workspace: Path) -> None:
    result = run("check", "conv_output_size", "--json")
    assert result.exit_code == 1
    assert json.loads(result.output)["status"] == "not_implemented"


def test_reset_asks_and_keeps_a_backup(workspace: Path) -> None:
    target = workspace / "exercises" / "conv2d.py"
    target.write_text("# my attempt\n")
    declined = run("reset", "conv2d", input="n\n")
    assert declined.exit_code == 0 and target.read_text() == "# my attempt\n"
    accepted = run("reset", "conv2d", input="y\n")
    assert accepted.exit_code == 0
    assert "raise NotImplementedError" in target.read_text()
    backups = list((workspace / ".tutor" / "backups").glob("conv2d-*.py"))
    assert len(backups) == 1 and backups[0].read_text() == "# my attempt\n"


def test_commands_work_from_a_subfolder(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workspace / "exercises")
    assert run("next").exit_code == 0


def test_end_to_end_in_a_real_subprocess(tmp_path: Path) -> None:
    tutor = [sys.executable, "-m", "tutor"]
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    subprocess.run([*tutor, "init", "ws"], cwd=tmp_path, check=True, capture_output=True, env=env)
    workspace = tmp_path / "ws"
    shutil.copy(SOLUTIONS / "conv2d.py", workspace / "exercises" / "conv2d.py")
    passed = subprocess.run(
        [*tutor, "check", "conv2d", "--json"], cwd=workspace, capture_output=True, text=True, env=env
    )
    assert passed.returncode == 0, passed.stderr
    assert json.loads(passed.stdout)["status"] == "passed"
    shutil.copy(VARIANTS / "conv2d" / "wrong_no_bias.py", workspace / "exercises" / "conv2d.py")
    failed = subprocess.run(
        [*tutor, "check", "conv2d"], cwd=workspace, capture_output=True, text=True, env=env
    )
    assert failed.returncode == 1
    assert "bias" in failed.stdout and "reproduce" in failed.stdout
    unknown = subprocess.run(
        [*tutor, "check", "nope"], cwd=workspace, capture_output=True, text=True, env=env
    )
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr


def test_next_announces_a_new_session_only_when_the_earlier_one_is_done(workspace: Path) -> None:
    from tutor.catalog import course
    from tutor.core import ExerciseRow, session_opening
    from tutor.workspace import ExerciseState

    loaded = course()
    first_of_two = next(e for e in loaded.exercises if e.session == 2)
    done_one = [
        ExerciseRow(e, ExerciseState.DONE if e.session == 1 else ExerciseState.NOT_STARTED)
        for e in loaded.exercises
    ]
    assert "Session 1 complete" in (session_opening(loaded, done_one, first_of_two) or "")
    half_done = [ExerciseRow(e, ExerciseState.NOT_STARTED) for e in loaded.exercises]
    assert session_opening(loaded, half_done, first_of_two) is None
    assert session_opening(loaded, done_one, loaded.exercises[0]) is None


def test_show_save_png_writes_the_pictures_as_drawn(workspace: Path) -> None:
    import png

    stub_png, solved_png = workspace / "stub.png", workspace / "solved.png"
    assert "Saved" in run("show", "image_kernels", "--save-png", str(stub_png)).output
    shutil.copy(SOLUTIONS / "image_kernels.py", workspace / "exercises" / "image_kernels.py")
    saved = run("show", "image_kernels", "--save-png", str(solved_png)).output
    assert "sobel_x" in saved.replace("\n", "")
    stub_width = png.Reader(filename=str(stub_png)).read()[0]
    solved_width = png.Reader(filename=str(solved_png)).read()[0]
    assert solved_width > 3 * stub_width  # the sample alone vs the sample and the student's six kernels
    none = workspace / "none.png"
    assert "no pictures" in run("show", "conv2d", "--save-png", str(none)).output
    assert not none.exists()

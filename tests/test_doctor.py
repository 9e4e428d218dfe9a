"""`tutor doctor` on a healthy workspace and on broken ones: every problem comes with its fix."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tutor.catalog import course
from tutor.cli import cli
from tutor.doctor import Level, check_library, check_python


def doctor(cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"COLUMNS": "400", **env}
    return subprocess.run(
        [sys.executable, "-m", "tutor", "doctor"],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "ws")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return tmp_path / "ws"


def line_of(output: str, name: str) -> str:
    return next(line for line in output.splitlines() if f" {name} " in line)


def test_healthy_workspace(workspace: Path) -> None:
    done = doctor(workspace)
    assert done.returncode == 0, done.stdout + done.stderr
    for name in (
        "Python",
        "numpy",
        "torch",
        "hypothesis",
        "workspace",
        "tutor.toml",
        "exercise files",
        "write permission",
    ):
        assert line_of(done.stdout, name).startswith("✓"), done.stdout
    assert "Everything is ready." in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_broken_workspace_names_each_problem_and_its_fix(workspace: Path, tmp_path: Path) -> None:
    missing = course().code_exercises()[0]
    (workspace / missing.relative_file()).unlink()
    state = workspace / ".tutor"
    if state.exists():
        import shutil

        shutil.rmtree(state)
    state.write_text("not a folder")  # the tutor cannot keep its progress here
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "torch.py").write_text("raise ImportError('libtorch_cpu.so: cannot open shared object file')\n")

    done = doctor(workspace, PYTHONPATH=str(shadow))
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    assert line_of(out, "torch").startswith("✗") and "libtorch_cpu.so" in out
    assert 'pip install "torch>=2.2" -c constraints.txt' in out
    assert line_of(out, "numpy").startswith("✓")
    assert line_of(out, "exercise files").startswith("✗") and missing.relative_file() in out
    assert f"tutor reset {missing.id} --yes" in out
    assert line_of(out, "write permission").startswith("✗")
    assert f"rm {state} && mkdir {state}" in out
    assert "3 problems to fix" in out
    assert "Traceback" not in out + done.stderr


def test_unreadable_tutor_toml(workspace: Path) -> None:
    (workspace / "tutor.toml").write_text("[workspace\ncourse = ")
    done = doctor(workspace)
    assert done.returncode == 1
    line = line_of(done.stdout, "tutor.toml")
    assert line.startswith("✗") and "cannot be read" in done.stdout and "tutor init" in done.stdout


def test_outside_a_workspace(tmp_path: Path) -> None:
    done = doctor(tmp_path)
    assert done.returncode == 1
    assert line_of(done.stdout, "workspace").startswith("✗") and "tutor init" in done.stdout


def test_old_python_and_old_library() -> None:
    old = check_python((3, 10, 4))
    assert old.level is Level.PROBLEM and "3.10.4" in old.detail and "python3.11 -m venv" in old.fix
    assert check_python((3, 12, 0)).level is Level.OK
    assert check_library("numpy").level is Level.OK

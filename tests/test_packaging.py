"""`pip install .` (not editable) carries the course inside the package, and `tutor init` works from it."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_install_then_init_show_and_check(tmp_path: Path) -> None:
    wheels = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("cnn_tutor-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Reuse this environment's numpy/torch/rich/click through a .pth (no second multi-GB torch),
    # while the tutor package itself comes only from the wheel.
    Path(site, "parent_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    where = subprocess.run(
        [python, "-c", "import tutor; print(tutor.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(env_dir)), where
    tutor = env_dir / "bin" / "tutor"
    subprocess.run([tutor, "init", "ws", "--student", "abc"], cwd=tmp_path, check=True, capture_output=True)
    assert (tmp_path / "ws" / "exercises" / "conv2d.py").is_file()
    shown = subprocess.run([tutor, "show", "conv2d"], cwd=tmp_path / "ws", capture_output=True, text=True)
    assert shown.returncode == 0 and "C_out" in shown.stdout
    (tmp_path / "ws" / "exercises" / "conv2d.py").write_text((ROOT / "solutions" / "conv2d.py").read_text())
    checked = subprocess.run([tutor, "check", "conv2d"], cwd=tmp_path / "ws", capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr

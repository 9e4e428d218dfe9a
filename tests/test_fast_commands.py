"""The everyday commands never import torch or hypothesis (they must feel instant)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import atexit, sys
def report():
    heavy = [m for m in ("torch", "hypothesis") if m in sys.modules]
    sys.__stderr__.write("HEAVY=" + ",".join(heavy) + "\\n")
atexit.register(report)
sys.argv = ["tutor"] + sys.argv[1:]
from tutor.cli import main
main()
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fast")
    subprocess.run([sys.executable, "-c", PROBE, "init", "ws"], cwd=root, check=True, capture_output=True)
    return root / "ws"


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--help"],
        ["list"],
        ["list", "--json"],
        ["next"],
        ["show", "conv2d"],
        ["hint", "conv2d"],
        ["hint", "corr2d", "--all"],
        ["check", "--help"],
        ["solution", "--help"],
    ],
    ids=lambda a: " ".join(a) or "bare",
)
def test_command_does_not_import_torch_or_hypothesis(workspace: Path, args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=workspace, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    heavy_line = [line for line in done.stderr.splitlines() if line.startswith("HEAVY=")]
    assert heavy_line == ["HEAVY="], f"`tutor {' '.join(args)}` imported {heavy_line}"


def test_probe_can_see_a_heavy_import(workspace: Path) -> None:
    """The probe itself works: `check` does import torch."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "check", "conv_output_size"],
        cwd=workspace,
        capture_output=True,
        text=True,
    )
    assert "torch" in [line for line in done.stderr.splitlines() if line.startswith("HEAVY=")][0]

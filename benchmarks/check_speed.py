"""Print how long `tutor check conv2d` takes on a correct solution, next to `python -c "import torch"`.

The issue's target: a check costs well under 3x the torch import. Both are measured in the same
run on the same machine, as the median of several runs, and compared as a ratio. The fast
commands are timed too, with `python -c "pass"` as their baseline.

Usage:  python benchmarks/check_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], cwd: Path, repeat: int, env: dict[str, str]) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    env = dict(os.environ, CI="1")  # derandomized, no replay database: the same work every run
    tutor = [sys.executable, "-m", "tutor"]
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "ws"
        subprocess.run([*tutor, "init", str(workspace)], check=True, capture_output=True)
        shutil.copy(ROOT / "solutions" / "conv2d.py", workspace / "exercises" / "conv2d.py")
        figures = {
            'python -c "pass"': timed([sys.executable, "-c", "pass"], workspace, repeat, env),
            'python -c "import torch"': timed([sys.executable, "-c", "import torch"], workspace, repeat, env),
            "tutor check conv2d (correct)": timed([*tutor, "check", "conv2d"], workspace, repeat, env),
            "  same, without the sandbox": timed(
                [*tutor, "check", "conv2d"], workspace, repeat, env | {"TUTOR_BWRAP": ""}
            ),
            "tutor list": timed([*tutor, "list"], workspace, repeat, env),
            "tutor next": timed([*tutor, "next"], workspace, repeat, env),
            "tutor --help": timed([*tutor, "--help"], workspace, repeat, env),
        }
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
    )
    print(f"median of {repeat} runs each\n")
    for name, seconds in figures.items():
        print(f"  {name:<32} {seconds:6.3f} s")
    torch_import = figures['python -c "import torch"']
    check = figures["tutor check conv2d (correct)"]
    print(f"\n  check / import torch           {check / torch_import:6.2f}x   (target: at most 1.6x)")
    plain = figures["  same, without the sandbox"]
    print(f"  sandboxed / plain check        {check / plain:6.2f}x")
    bare = figures['python -c "pass"']
    print(f"  list / bare interpreter        {figures['tutor list'] / bare:6.2f}x")


if __name__ == "__main__":
    main()

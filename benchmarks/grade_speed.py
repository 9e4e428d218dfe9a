"""Print how long a full-course `tutor grade` of a complete workspace takes, sandboxed and not.

The sandbox issue's target: at most 20 s on the 2-core machine. Both runs grade the same
workspace (every reference solution copied in) in the same session, so their ratio is the
sandbox's cost; the absolute figure depends on the machine and its load.

Usage:  python benchmarks/grade_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
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


def grade(workspace: Path, extra: list[str], env: dict[str, str]) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tutor", "grade", "--format", "json", *extra],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    try:
        report = json.loads(done.stdout)
    except ValueError:
        report = {"error": (done.stderr or done.stdout).strip()[-300:]}
    return seconds, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    env = dict(os.environ, CI="1")
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "ws"
        subprocess.run(
            [sys.executable, "-m", "tutor", "init", str(workspace)], check=True, capture_output=True
        )
        for solution in (ROOT / "solutions").glob("*.py"):
            shutil.copy(solution, workspace / "exercises" / solution.name)
        rows = {}
        for name, extra in (("sandbox", []), ("no sandbox", ["--no-sandbox"])):
            samples, report = [], {}
            for _ in range(repeat):
                seconds, report = grade(workspace, extra, env)
                samples.append(seconds)
            rows[name] = (statistics.median(samples), report)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"median of {repeat} runs each; one workspace with every reference solution\n")
    for name, (seconds, report) in rows.items():
        points = report.get("points", "?")
        total = report.get("max_points", "?")
        isolation = report.get("isolation", report.get("error", "?"))
        print(f"  tutor grade ({name:<10}) {seconds:6.2f} s   {points}/{total} points, isolation {isolation}")
    ratio = rows["sandbox"][0] / rows["no sandbox"][0]
    print(f"\n  sandbox / no sandbox        {ratio:6.2f}x   (target for the sandboxed run: at most 20 s)")


if __name__ == "__main__":
    main()

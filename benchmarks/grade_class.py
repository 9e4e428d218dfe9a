"""Benchmark `tutor grade-class`: the same class of workspaces graded with --jobs 1 and --jobs 2.

    python benchmarks/grade_class.py [--count 50] [--jobs 1 2]

Builds COUNT workspaces of the installed course in a temporary folder: a third with every
solution, a third with the first two exercises solved, a third untouched. Then grades the whole
class once per --jobs value and prints the wall time, the time per submission and the speed-up
over the first value. Figures come from one run on the machine it prints; they vary with load.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return f"{platform.system()} {platform.machine()}, {model}, {usable} usable cores, load average {load}, Python {platform.python_version()}"


def build_class(folder: Path, count: int) -> None:
    from tutor.catalog import course
    from tutor.workspace import init_workspace

    code = [e for e in course().code_exercises() if (ROOT / "solutions" / f"{e.id}.py").is_file()]
    for i in range(count):
        target = folder / f"student{i:03d}"
        init_workspace(target, course(), f"s{i:07d}")
        solved = code if i % 3 == 0 else code[:2] if i % 3 == 1 else []
        for exercise in solved:
            shutil.copyfile(ROOT / "solutions" / f"{exercise.id}.py", target / exercise.relative_file())


def grade(folder: Path, jobs: int, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tutor",
            "grade-class",
            str(folder),
            "--jobs",
            str(jobs),
            "--output",
            str(out),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="grade-class-bench-") as tmp:
        folder = Path(tmp) / "class"
        build_class(folder, args.count)
        print(
            f"class: {args.count} workspaces of the installed course (1/3 solved, 1/3 two exercises, 1/3 untouched)"
        )
        baseline = None
        for jobs in args.jobs:
            out = Path(tmp) / f"book-{jobs}.csv"
            seconds = grade(folder, jobs, out)
            with out.open() as handle:
                rows = list(csv.DictReader(handle))
            statuses = sorted({r["status"] for r in rows})
            baseline = baseline or seconds
            print(
                f"--jobs {jobs}: {seconds:7.1f} s wall, {seconds / args.count:5.2f} s per submission, "
                f"speed-up {baseline / seconds:4.2f}x over --jobs {args.jobs[0]} ({len(rows)} rows, status {', '.join(statuses)})"
            )


if __name__ == "__main__":
    main()

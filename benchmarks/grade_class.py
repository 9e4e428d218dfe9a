"""Benchmark `tutor grade-class`: the same class of workspaces graded with --jobs 1 and --jobs 2.

    python benchmarks/grade_class.py [--count 50] [--jobs 1 2] [--complete] [--without-training] [--compare DIR]

Builds COUNT workspaces of the installed course in a temporary folder: a third with every
solution, a third with the first two exercises solved, a third untouched; with --complete, every
workspace has every solution and every numeric question answered right (as measured). Then
grades the whole class once per --jobs value and prints the wall time, the time per submission,
the seconds per workspace per core (wall × cores busy / workspaces, the cores busy being the
smaller of --jobs and the usable cores) and the speed-up over the first value.

Where `perf` is installed, each run is counted with `perf stat -e task-clock` and the CPU seconds
per workspace (workers included) are printed too: steadier than wall time on a shared machine.
--without-training leaves out the exercises that train a network (their time is the students'
code), so the figure is the grader's own cost.

--compare DIR grades the same class also with the tutor source tree in DIR (e.g. `git archive
main | tar -x -C DIR`), alternating with this one for each --jobs value, and prints the ratio:
on a shared machine, the ratio from one run means more than either figure. Figures come from one
run on the machine it prints (with its load average before and after); they vary with load.
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


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def answer_everything(workspace_root: Path) -> None:
    """Answer every part of every numeric question right, with the value measured for this student."""
    from tutor.catalog import course
    from tutor.questions import check_answer, load_question, variant
    from tutor.workspace import find_workspace

    workspace = find_workspace(workspace_root)
    for exercise in course().exercises:
        if exercise.is_code:
            continue
        question = load_question(exercise)
        truth = question.measure(variant(question, workspace.student, exercise.id, course().name).params)
        for part in question.parts:
            result = check_answer(workspace, exercise, part.name, str(truth[part.name][0]))
            assert result.correct, (exercise.id, part.name)


def build_class(folder: Path, count: int, complete: bool = False) -> None:
    from tutor.catalog import course
    from tutor.workspace import init_workspace

    code = [e for e in course().code_exercises() if (ROOT / "solutions" / f"{e.id}.py").is_file()]
    for i in range(count):
        target = folder / f"student{i:03d}"
        init_workspace(target, course(), f"s{i:07d}")
        solved = code if complete or i % 3 == 0 else code[:2] if i % 3 == 1 else []
        for exercise in solved:
            shutil.copyfile(ROOT / "solutions" / f"{exercise.id}.py", target / exercise.relative_file())
        if complete:
            answer_everything(target)


def grade(
    folder: Path, jobs: int, out: Path, source: Path | None = None, extra: list[str] | None = None
) -> tuple[float, float | None]:
    """Wall seconds of one `tutor grade-class` (of the tutor in `source`, else the installed one),
    and the CPU seconds of it and everything it started (workers included; `perf stat`'s
    task-clock, None where perf is missing)."""
    environment = dict(os.environ)
    if source is not None:  # every `tutor grade` it starts inherits the path
        environment["PYTHONPATH"] = str(source.resolve())
    command = [
        sys.executable,
        "-m",
        "tutor",
        "grade-class",
        str(folder),
        "--jobs",
        str(jobs),
        "--output",
        str(out),
    ]
    counter = out.with_suffix(".perf")
    if shutil.which("perf"):
        command = ["perf", "stat", "-e", "task-clock", "-x", ",", "-o", str(counter), *command]
    started = time.perf_counter()
    subprocess.run(
        [*command, *(extra or [])],
        check=True,
        stdout=subprocess.DEVNULL,
        env=environment,
        cwd=out.parent,  # not a folder with a tutor package in it: `-m tutor` puts the cwd first
    )
    wall = time.perf_counter() - started
    cpu = None
    if counter.exists():
        for line in counter.read_text().splitlines():
            if "task-clock" in line:
                cpu = float(line.split(",")[0]) / 1000
    return wall, cpu


def without_training(folder: Path) -> list[str]:
    """--config/--assignment flags that grade every exercise except those that train a network
    (a longer call than the default): what the grader costs, apart from the students' training."""
    from tutor.catalog import course
    from tutor.checking.sandbox import Limits

    kept = [e.id for e in course().exercises if e.call_seconds <= Limits().call_seconds]
    config = folder / "without-training.toml"
    config.write_text(
        '[assignments.no_training]\ntitle = "Everything but training"\nexercises = ['
        + ", ".join(f'"{i}"' for i in kept)
        + "]\n"
    )
    return ["--config", str(config), "--assignment", "no_training"]


def summary(out: Path) -> str:
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    statuses = sorted({r["status"] for r in rows})
    totals = sorted({r["total"] for r in rows})
    return f"{len(rows)} rows, status {', '.join(statuses)}, totals {', '.join(totals)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--complete", action="store_true", help="every exercise solved, every question answered"
    )
    parser.add_argument("--compare", type=Path, metavar="DIR", help="also grade with the tutor source in DIR")
    parser.add_argument(
        "--without-training",
        action="store_true",
        help="leave out the exercises that train a network (LeNet, the capstone): the grader's own cost",
    )
    args = parser.parse_args()
    print(f"machine: {machine()}")
    kind = (
        "complete workspaces"
        if args.complete
        else "workspaces (1/3 solved, 1/3 two exercises, 1/3 untouched)"
    )
    with tempfile.TemporaryDirectory(prefix="grade-class-bench-") as tmp:
        folder = Path(tmp) / "class"
        build_class(folder, args.count, args.complete)
        extra = without_training(Path(tmp)) if args.without_training else []
        print(
            f"class: {args.count} {kind} of the installed course"
            + (", training exercises left out" if extra else "")
        )
        baseline = None
        for jobs in args.jobs:
            cores = min(jobs, usable_cores())
            runs = [("this tutor", None)] + ([(f"{args.compare}", args.compare)] if args.compare else [])
            seconds: dict[str, float] = {}
            cpu: dict[str, float | None] = {}
            for name, source in runs:
                out = Path(tmp) / f"book-{jobs}-{len(seconds)}.csv"
                before = load()
                seconds[name], cpu[name] = grade(folder, jobs, out, source, extra)
                baseline = baseline or seconds[name]
                wall = seconds[name]
                spent = (
                    f", {cpu[name] / args.count:5.2f} CPU-s per workspace" if cpu[name] is not None else ""
                )
                print(
                    f"--jobs {jobs} [{name}]: {wall:7.1f} s wall, {wall / args.count:5.2f} s per submission, "
                    f"{wall * cores / args.count:5.2f} s per workspace per core{spent}, speed-up "
                    f"{baseline / wall:4.2f}x over the first run (load {before} before, {load()} after; "
                    f"{summary(out)})"
                )
            if args.compare:
                ratio = seconds["this tutor"] / seconds[str(args.compare)]
                print(f"--jobs {jobs}: this tutor takes {ratio:.2f}x the time of {args.compare}")
                mine, theirs = cpu["this tutor"], cpu[str(args.compare)]
                if mine is not None and theirs is not None:
                    print(
                        f"--jobs {jobs}: this tutor takes {mine / theirs:.2f}x the CPU time of {args.compare}"
                    )


if __name__ == "__main__":
    main()

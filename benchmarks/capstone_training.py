"""Print how long the capstone's reference training takes, and the held-out accuracy it reaches.

The capstone's budget is the catalog's call_seconds for one train_cnn call on one CPU thread;
the bar is the check's REQUIRED_ACCURACY. Each seed trains the reference solution (with the
reference layers as its siblings) in a fresh process on one thread, as the grader's worker does,
and the whole `tutor check capstone` of the solution is timed once. Figures depend on the
machine and its load; nothing here asserts them.

Usage:  python benchmarks/capstone_training.py [--seeds 0 1 2]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
TRAIN = """
import json, sys, time
sys.path.insert(0, {solutions!r})
import capstone
from tutor.checks import capstone as check
started = time.perf_counter()
params, losses = capstone.train_cnn({seed})
seconds = time.perf_counter() - started
print(json.dumps({{"seconds": seconds, "accuracy": check.held_out_accuracy(params),
                   "steps": len(losses), "first": float(losses[0]), "last": float(losses[-10:].mean())}}))
"""


def train(seed: int) -> dict:
    code = TRAIN.format(solutions=str(ROOT / "solutions"), seed=seed)
    done = subprocess.run(
        [sys.executable, "-c", code], env=os.environ | ONE_THREAD, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def check_seconds() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "ws"
        tutor = [sys.executable, "-m", "tutor"]
        subprocess.run([*tutor, "init", str(workspace)], check=True, capture_output=True)
        for source in (ROOT / "solutions").glob("*.py"):
            shutil.copy(source, workspace / "exercises" / source.name)
        started = time.perf_counter()
        subprocess.run(
            [*tutor, "check", "capstone"], cwd=workspace, env=os.environ | {"CI": "1"}, capture_output=True
        )
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    seeds = parser.parse_args().seeds
    from tutor.catalog import course
    from tutor.checks.capstone import REQUIRED_ACCURACY

    budget = course().exercise("capstone").call_seconds
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"budget {budget:g} s for train_cnn on one thread; bar {REQUIRED_ACCURACY:.0%} of the held-out digits\n"
    )
    for seed in seeds:
        run = train(seed)
        print(
            f"  seed {seed}: {run['seconds']:6.1f} s  held-out {run['accuracy']:6.1%}  "
            f"{run['steps']} steps, loss {run['first']:.2f} → {run['last']:.3f}"
        )
    print(f"\n  tutor check capstone (reference, sandboxed, CI=1): {check_seconds():6.1f} s")


if __name__ == "__main__":
    main()

"""Print the time from saving an exercise file to its verdict on `tutor watch`'s screen.

`tutor watch` runs in a pseudo-terminal, as a student's terminal runs it. The file is saved the way
an editor saves it, alternately right (the reference solution) and wrong (a flipped kernel), and
the clock stops when the new verdict has been drawn. The first check of a session (which imports
torch) is reported apart: the figure that matters is a save while the student is working.

The issue's goal: at most 1 s for a NumPy exercise on an idle 2-core machine. Run it with the
sandbox (the default when bubblewrap works) and with `--no-sandbox` to see what isolation costs.

Between a verdict and the next save the benchmark waits `--pause` seconds, as a student edits: watch
mode starts the next check's worker in that time (0.5 s is short for an edit; on a busy machine the
worker may not be ready by then).

Usage:  python benchmarks/watch_latency.py [--exercise corr2d] [--saves 6] [--pause 0.5] [--no-sandbox]
"""

from __future__ import annotations

import argparse
import os
import platform
import pty
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")

WRONG = {
    "corr2d": "import numpy as np\n\n\ndef corr2d(x, k):\n"
    "    kh, kw = k.shape\n    k = k[::-1, ::-1]\n"
    "    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))\n"
    "    for i in range(out.shape[0]):\n        for j in range(out.shape[1]):\n"
    "            out[i, j] = (x[i:i + kh, j:j + kw] * k).sum()\n    return out\n",
}
MISTAKES = {
    # The reference solution with one classic mistake: (what it says, what it says instead).
    "conv2d": (
        'np.einsum("ncab,ocab->no", window, w)',
        'np.einsum("ncab,ocab->no", window, w[:, :, ::-1, ::-1])',
    ),
    "activations": ("np.maximum(x, 0.0)", "np.abs(x)"),
}


def wrong_version(exercise: str) -> str:
    if exercise in WRONG:
        return WRONG[exercise]
    right, mistake = MISTAKES[exercise]
    solution = (ROOT / "solutions" / f"{exercise}.py").read_text(encoding="utf-8")
    assert right in solution, f"solutions/{exercise}.py no longer says {right!r}: update MISTAKES"
    return solution.replace(right, mistake)


class Screen:
    """The output of a program in a pseudo-terminal, read on a thread."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        self.process = subprocess.Popen(
            args, cwd=cwd, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.raw = b""
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self.lock:
                self.raw += chunk

    def mark(self) -> int:
        with self.lock:
            return len(self.raw)

    def wait_for(self, needle: str, since: int, timeout: float = 300.0) -> float:
        """Seconds (perf_counter) at which `needle` was first seen after byte `since`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                seen = ANSI.sub("", self.raw[since:].decode("utf-8", errors="replace"))
            if needle in seen:
                return time.perf_counter()
            if self.process.poll() is not None:
                raise SystemExit(f"tutor watch stopped:\n{seen[-2000:]}")
            time.sleep(0.005)
        raise SystemExit(f"no {needle!r} within {timeout:g} s")

    def close(self) -> None:
        os.write(self.master, b"q")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self.master)


def save(path: Path, text: str) -> float:
    """Write as an editor does (a new file renamed over the old one); returns when the save finished."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return time.perf_counter()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercise", default="corr2d", choices=sorted(WRONG | MISTAKES))
    parser.add_argument("--saves", type=int, default=6, help="saves of each kind (right, wrong)")
    parser.add_argument(
        "--pause", type=float, default=0.5, help="seconds between a verdict and the next save"
    )
    parser.add_argument("--no-sandbox", action="store_true", help="run the checks as a plain process")
    options = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI")}
    env |= {"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "60"}
    if options.no_sandbox:
        env["TUTOR_BWRAP"] = ""
    exercise = options.exercise
    right = (ROOT / "solutions" / f"{exercise}.py").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder) / "ws"
        subprocess.run(
            [sys.executable, "-m", "tutor", "init", str(workspace)], check=True, capture_output=True, env=env
        )
        target = workspace / "exercises" / f"{exercise}.py"
        screen = Screen([sys.executable, "-m", "tutor", "watch", exercise], workspace, env)
        try:
            started = time.perf_counter()
            first = screen.wait_for("NotImplementedError", 0) - started
            samples: dict[str, list[float]] = {"right": [], "wrong": []}
            for _ in range(options.saves):
                for kind, text, verdict in (
                    ("wrong", wrong_version(exercise), f"✗ {exercise}: failed"),
                    ("right", right, f"✓ {exercise} passed"),
                ):
                    time.sleep(options.pause)  # the student edits; the save lands at a random poll phase
                    mark = screen.mark()
                    saved = save(target, text)
                    samples[kind].append(screen.wait_for(verdict, mark) - saved)
        finally:
            screen.close()

    load = os.getloadavg()[0]
    print(f"tutor watch {exercise}: seconds from saving the file to the verdict on the screen")
    print(f"  machine: {platform.machine()}, {os.cpu_count()} CPUs, load average {load:.2f}")
    print(f"  sandbox: {'off (--no-sandbox)' if options.no_sandbox else 'as `tutor doctor` reports'}")
    print(f"  pause between a verdict and the next save: {options.pause:g} s")
    print(f"  first check of the session (imports torch): {first:.2f}")
    for kind, values in samples.items():
        print(
            f"  {kind:>5} file: median {statistics.median(values):.2f}, "
            f"min {min(values):.2f}, max {max(values):.2f} over {len(values)} saves"
        )
    print("  goal: at most 1 s on an idle 2-core machine")


if __name__ == "__main__":
    main()

"""How often a wrong submission is told what is wrong: the diagnosis rate over a folder of variants.

The folder holds one sub-folder per exercise, named by its id, with student files named
right_*.py (must pass) and wrong_*.py (must fail). Other files there (e.g. a conv2d.py that a
residual_block variant imports) are left alone. Every file is checked as CI grades it
(derandomized). A wrong file that fails counts as *named* when the verdict teaches: a named
misconception, an explained crash or output size, or a statement-level fault such as a modified
input. Otherwise it got only the bare verdict ("values differ", a traceback line).

Keep the measuring set outside tests/: tests/variants/ is what the checks were tuned on, so a
rate measured there says little about new students' bugs.

Usage:  python benchmarks/diagnosis_rate.py FOLDER [--only ID ...] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.catalog import course  # noqa: E402
from tutor.checking.engine import CheckOptions, run_check  # noqa: E402
from tutor.checking.result import CheckResult, Status  # noqa: E402

# Verdicts that say what went wrong in their own words, without a misconception.
TEACHING_STATUSES = {Status.MODIFIED_INPUT, Status.RETURNED_INPUT, Status.WRONG_SIGNATURE, Status.WRONG_DTYPE}


def diagnosis_of(result: CheckResult) -> str | None:
    """The teaching part of a failed verdict, or None for a bare one."""
    failure = result.first_failure()
    if failure is not None and failure.diagnosis:
        return failure.diagnosis
    if result.status in TEACHING_STATUSES:
        return result.message
    return None


def session_of(exercise_id: str) -> int:
    the_course = course()
    exercise = the_course.exercise(exercise_id)
    return next(t.session for t in the_course.topics if t.id == exercise.topic)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", nargs="*", default=None, help="exercise ids to measure")
    parser.add_argument("--verbose", action="store_true", help="print every wrong file's verdict")
    args = parser.parse_args()

    options = CheckOptions(derandomize=True)
    # per exercise: [right, right passed, wrong, wrong failed, wrong named]
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    started = time.perf_counter()
    for folder in sorted(p for p in args.folder.iterdir() if p.is_dir()):
        exercise_id = folder.name
        if args.only and exercise_id not in args.only:
            continue
        exercise = course().exercise(exercise_id)
        for path in sorted(folder.glob("*.py")):
            right = path.name.startswith("right_")
            if not (right or path.name.startswith("wrong_")):
                continue
            result = run_check(exercise, path, options)
            row = tally[exercise_id]
            if right:
                row[0] += 1
                row[1] += result.passed
                if not result.passed:
                    print(f"RIGHT FAILED {exercise_id}/{path.name}: {result.status}: {result.message}")
                    failure = result.first_failure()
                    if failure is not None and failure.diagnosis:
                        print(f"    false diagnosis: {failure.diagnosis}")
                continue
            row[2] += 1
            if result.passed:
                print(f"WRONG PASSED {exercise_id}/{path.name}")
                continue
            row[3] += 1
            diagnosis = diagnosis_of(result)
            row[4] += diagnosis is not None
            if diagnosis is None or args.verbose:
                mark = "named " if diagnosis else "BARE  "
                print(f"{mark}{exercise_id}/{path.name}: {result.status}: {result.message[:160]}")
                if diagnosis:
                    print(f"    {diagnosis[:160]}")

    by_session: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    print(f"\n{'exercise':28} {'right pass':>10} {'wrong fail':>10} {'named':>10}")
    for exercise_id, row in tally.items():
        session = by_session[session_of(exercise_id)]
        for i, value in enumerate(row):
            session[i] += value
        print(f"{exercise_id:28} {row[1]:>4}/{row[0]:<5} {row[3]:>4}/{row[2]:<5} {row[4]:>4}/{row[3]:<5}")
    total = [sum(row[i] for row in tally.values()) for i in range(5)]
    for number, row in sorted(by_session.items()):
        rate = row[4] / row[3] if row[3] else 0.0
        print(
            f"session {number}: right pass {row[1]}/{row[0]}, wrong fail {row[3]}/{row[2]}, named {row[4]}/{row[3]} ({rate:.1%})"
        )
    rate = total[4] / total[3] if total[3] else 0.0
    print(
        f"overall: right pass {total[1]}/{total[0]}, wrong fail {total[3]}/{total[2]}, "
        f"named {total[4]}/{total[3]} ({rate:.1%}) in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()

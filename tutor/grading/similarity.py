"""`grade-class --similarity`: per exercise, the pairs of submissions whose code is unusually alike.

The comparison is copydetect's (the winnowing fingerprints MOSS uses): the code is tokenized
with Pygments, names become placeholders (so renamed variables still match), and each pair
gets, for each side, the share of its code found in the other. The exercise's stub is
boilerplate: code every student was given is never counted as shared, so the class is not
"similar" to itself; so is code that a large part of the class wrote (as MOSS's -m option).
A pair is listed when either share reaches the threshold.

It is a lead for a human to follow, not a verdict: short exercises have few ways to be solved,
and two students can converge honestly. Only the graded code is compared: each row's files on
disk, or with --ref the commit the row records, read from git's objects again (gitrepo.export).
copydetect is an optional dependency (`pip install cnn-tutor[instructor]`).
"""

from __future__ import annotations

import contextlib
import io
import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from tutor.catalog import Course, Exercise
from tutor.checking.submission import UnsafeFile, read_regular_file
from tutor.errors import UsageError

SIMILARITY_SCHEMA = "cnn-tutor/similarity"
THRESHOLD = 0.6
"""A pair is listed when at least this share of one side's code (outside the boilerplate) is in the other."""
COMMON_SHARE = 0.2
COMMON_MIN = 5
"""Code found in at least COMMON_SHARE of an exercise's submissions, and in at least COMMON_MIN of
them, is boilerplate too (what every solution needs is no lead)."""
NOISE_TOKENS = 25
"""copydetect's k: matches shorter than this many (filtered) characters are noise."""
LEAD_NOT_VERDICT = (
    "A lead for a human to follow, not a verdict: read both files before concluding anything. "
    "Short exercises have few ways to be solved, and students can converge honestly."
)
NO_COPYDETECT = "--similarity needs copydetect, which is not installed."
NO_COPYDETECT_HINT = (
    "Install the instructor extra: pip install 'cnn-tutor[instructor]' (with your constraints file)."
)


@dataclass(frozen=True)
class GradedCode:
    """One graded submission of one exercise."""

    student: str
    directory: str
    code: str


@dataclass(frozen=True)
class SimilarPair:
    first: GradedCode
    second: GradedCode
    shares: tuple[float, float]
    """The share of each side's code (outside the stub) that is also in the other."""
    tokens: int
    """How many (filtered) characters of the first side are shared."""

    @property
    def similarity(self) -> float:
        return max(self.shares)


def require():  # noqa: ANN202 - the module, imported only when asked for
    """copydetect, or UsageError (exit 2) saying how to install it."""
    try:
        import copydetect
    except ImportError:
        raise UsageError(NO_COPYDETECT, NO_COPYDETECT_HINT) from None
    return copydetect


def similar_pairs(
    submissions: Sequence[GradedCode], stub: str, threshold: float = THRESHOLD
) -> list[SimilarPair]:
    """The pairs of `submissions` (of one exercise) with a share at or above `threshold`, most alike
    first. Code in `stub` is boilerplate, and so is code found in more than COMMON_SHARE of the
    submissions (at least COMMON_MIN of them); a submission that is the stub itself is left out."""
    copydetect = require()
    import numpy as np

    def fingerprint(code: str, boilerplate):  # noqa: ANN001, ANN202
        # The name only picks Pygments' Python lexer; nothing is read from disk. A window of 1
        # keeps every k-gram: the files are small, and nothing shared is missed.
        return copydetect.CodeFingerprint("submission.py", NOISE_TOKENS, 1, boilerplate, fp=io.StringIO(code))

    # As copydetect's own CopyDetector does: the boilerplate is every k-gram of the stub.
    boilerplate = np.unique(np.array(list(fingerprint(stub, None).hashes)))
    started = [s for s in submissions if s.code.strip() != stub.strip()]
    prints = [fingerprint(s.code, boilerplate) for s in started]
    # As MOSS's -m: code most of the class wrote (a helper every solution needs) is not a lead.
    seen = Counter(h for p in prints for h in p.hashes)
    common = [h for h, n in seen.items() if n >= max(COMMON_MIN, COMMON_SHARE * len(started))]
    if common:
        boilerplate = np.unique(np.concatenate([boilerplate, np.array(common)]))
        prints = [fingerprint(s.code, boilerplate) for s in started]
    pairs = []
    for (i, a), (j, b) in itertools.combinations(enumerate(started), 2):
        tokens, shares, _ = copydetect.compare_files(prints[i], prints[j])
        shares = (round(float(shares[0]), 3), round(float(shares[1]), 3))
        if max(shares) >= threshold:
            pairs.append(SimilarPair(a, b, shares, int(tokens)))
    return sorted(pairs, key=lambda p: (-p.similarity, p.first.student, p.second.student))


def report(
    rows: Sequence,  # ClassRow
    course: Course,
    ref: str | None = None,
    threshold: float = THRESHOLD,
) -> dict:
    """The --similarity JSON: per exercise id, how many submissions were compared and the pairs."""
    require()  # before reading anything: say at once that it is missing
    graded = [r for r in rows if r.graded]
    exercises = {}
    with _sources(graded, ref) as folders:
        for exercise in course.code_exercises():
            found = [
                GradedCode(r.student or r.directory, r.directory, code)
                for r, folder in zip(graded, folders)
                if folder is not None and (code := _code(folder, exercise)) is not None
            ]
            stub = exercise.stub_path().read_text(encoding="utf-8")
            pairs = similar_pairs(found, stub, threshold)
            exercises[exercise.id] = {
                "compared": len([s for s in found if s.code.strip() != stub.strip()]),
                "pairs": [
                    {
                        "students": [p.first.student, p.second.student],
                        "directories": [p.first.directory, p.second.directory],
                        "shares": list(p.shares),
                        "similarity": p.similarity,
                        "shared_characters": p.tokens,
                    }
                    for p in pairs
                ],
            }
    return {
        "schema": SIMILARITY_SCHEMA,
        "schema_version": 1,
        "note": LEAD_NOT_VERDICT,
        "course": course.name,
        "ref": ref,
        "method": {
            "library": f"copydetect {metadata.version('copydetect')}",
            "noise_characters": NOISE_TOKENS,
            "threshold": threshold,
            "boilerplate": f"the exercise's stub, and code in at least {COMMON_SHARE:.0%} of the "
            f"submissions (and at least {COMMON_MIN})",
        },
        "exercises": exercises,
    }


def _code(folder: Path, exercise: Exercise) -> str | None:
    """The exercise's file in `folder` as text, if the grader would read it."""
    try:
        return read_regular_file(folder / exercise.relative_file(), folder).decode("utf-8", "replace")
    except (OSError, UnsafeFile):
        return None


@contextlib.contextmanager
def _sources(rows: Sequence, ref: str | None) -> Iterator[list[Path | None]]:
    """Each row's graded files: its folder, or with `ref` a private copy of the commit it records."""
    if ref is None:
        yield [Path(r.directory) for r in rows]
        return
    from tutor.grading import gitrepo

    with contextlib.ExitStack() as stack:
        folders: list[Path | None] = []
        for row in rows:
            try:
                copy, _ = stack.enter_context(gitrepo.exported(Path(row.directory), row.commit or ref))
            except gitrepo.GitError:
                copy = None
            folders.append(copy)
        yield folders

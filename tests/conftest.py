"""Shared fixtures: the installed course, and a one-call way to check a file or a source string."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from tutor.catalog import Course, course
from tutor.checking.engine import CheckOptions, run_check
from tutor.checking.result import CheckResult
from tutor.checking.sandbox import Limits

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
STUBS = ROOT / "exercises"
VARIANTS = Path(__file__).resolve().parent / "variants"


@pytest.fixture(scope="session")
def the_course() -> Course:
    return course()


def check_file(
    exercise_id: str, path: Path, isolation: object = None, workers: object = None, **limits: object
) -> CheckResult:
    """Check a file the way CI grades: derandomized, so the verdict is reproducible. `isolation`
    (an Isolation) forces the sandbox or a plain process; None takes the sandbox if there is one.
    `workers`: where the check takes its worker from (a Nursery), as run_check's `spare`."""
    options = CheckOptions(derandomize=True, limits=Limits(**limits), isolation=isolation)  # type: ignore[arg-type]
    return run_check(course().exercise(exercise_id), path, options, workers)  # type: ignore[arg-type]


@pytest.fixture
def check_source(tmp_path: Path):  # noqa: ANN201
    """check_source(exercise_id, source, **limits) writes the source to <tmp>/<id>.py and checks it."""

    def check(exercise_id: str, source: str | bytes, **limits: object) -> CheckResult:
        path = tmp_path / f"{exercise_id}.py"
        if isinstance(source, bytes):
            path.write_bytes(source)
        else:
            path.write_text(source, encoding="utf-8")
        return check_file(exercise_id, path, **limits)

    return check


@dataclass(frozen=True)
class Variant:
    """A student implementation kept in tests/variants/<exercise>/.

    The file's first line says what the grader must conclude:
        # expect: passed
        # expect: failed | flipped the kernel
    i.e. the status, then optionally a fragment of the diagnosis (case-insensitive).
    """

    exercise: str
    path: Path
    status: str
    diagnosis: str | None

    @property
    def id(self) -> str:
        return f"{self.exercise}/{self.path.stem}"


def load_variants() -> list[Variant]:
    found = []
    for path in sorted(VARIANTS.glob("*/*.py")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        if not first.startswith("# expect:"):
            raise ValueError(
                f"{path} must start with '# expect: STATUS [| diagnosis fragment [|| another way to say it]]'"
            )
        status, _, diagnosis = first.removeprefix("# expect:").partition("|")
        ast.parse(path.read_text(encoding="utf-8"))  # a variant must at least be valid Python
        found.append(Variant(path.parent.name, path, status.strip(), diagnosis.strip() or None))
    return found


def _sandbox_support():  # noqa: ANN202
    from tutor.checking.isolation import support

    return support()


requires_sandbox = pytest.mark.skipif(
    not _sandbox_support().available, reason=f"no sandbox here: {_sandbox_support().detail}"
)
"""For tests that attack the sandbox itself: without one there is nothing to test (README)."""


KERNEL_LIMITS = Limits(memory_mb=1536, cpu_seconds=30, file_mb=4, processes=40)
"""Limits whose values are easy to recognise in /proc/PID/limits (assert_worker_limits)."""


def assert_worker_limits(limits_text: str, environ: bytes) -> None:
    """A worker started with KERNEL_LIMITS, as the kernel sees it (/proc/PID/limits and environ,
    read by the trusted test process): its limits, and nothing in its environment but ours."""
    rows = {line[:26].strip(): line[26:].split() for line in limits_text.splitlines()[1:]}
    assert rows["Max address space"][0] == str(1536 * 1024 * 1024)
    assert rows["Max cpu time"][0] == "30"
    assert rows["Max file size"][0] == str(4 * 1024 * 1024)
    assert rows["Max core file size"][0] == "0"
    assert int(rows["Max processes"][0]) >= 40  # tasks already running for this user + 40
    names = {item.split(b"=", 1)[0].decode() for item in environ.split(b"\0") if item}
    assert "HOME" in names and names <= {
        "PATH",
        "LANG",
        "LC_ALL",
        "HOME",
        "TMPDIR",
        "PYTHONHASHSEED",
        "PYTHONDONTWRITEBYTECODE",
        "OPENBLAS_NUM_THREADS",
        "OMP_NUM_THREADS",
        "MKL_NUM_THREADS",
        "TUTOR_WORKER_TOKEN",
        "PWD",  # set by bwrap's --chdir
    }, names

"""Grade a workspace: re-check every gradable exercise from its file and add up the points.

Grading never reads the recorded progress, the replay database or the workspace's [limits]
table (all of them are the student's to edit): it reads the files, checks them seeded and
derandomized with the instructor's limits, and records the SHA-256 of every file it graded.

The student's code runs in the sandbox (tutor/checking/isolation.py) unless the grader chose
otherwise with `--no-sandbox`; a run without one is refused up front (SandboxRequired), never
quietly downgraded. Files are read only as tutor.checking.submission reads them: a link out of
the workspace, a device, a FIFO or a huge file earns nothing and never blocks the grader.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor import __version__
from tutor.catalog import Course, Exercise
from tutor.checking.isolation import INSTALL_HINT, Isolation, support
from tutor.checking.submission import Submission, UnsafeFile, read_regular_file, snapshot
from tutor.errors import UsageError
from tutor.grading.feedback import FEEDBACK_CHARS, check_feedback, truncate
from tutor.grading.report import GRADER_ERROR, ExerciseGrade, GradeReport, GradeStatus, PropertyGrade
from tutor.workspace import Workspace, file_digest

if TYPE_CHECKING:
    from tutor.checking.nursery import Nursery
    from tutor.checking.result import CheckResult
    from tutor.checking.sandbox import Limits, WorkerSource
    from tutor.grading.config import GradingConfig

DEFAULT_SEED = 20261
"""Hypothesis seed used when the instructor does not choose one: same files, same grade."""

ANSWERS_UNREADABLE = "{file} cannot be read, so {exercise} earns no points: {error}"
NOT_STARTED = "{file} is still the stub: {exercise} has not been started, so it earns no points yet."
GRADER_CRASHED = (
    "The grader itself failed on {exercise} ({error}). This is not your fault: tell your instructor; "
    "the other exercises were graded normally."
)
ANSWERS_UNSAFE = (
    "{file} is not read, so {exercise} earns no points: {reason}. Answers must be in a plain "
    "answers.toml file at the root of your workspace (`tutor answer {exercise} VALUE` writes it)."
)
ASSIGNMENT_NOTE = "Graded as assignment {name} ({title}): {count} exercise(s), {points:g} points."
WRONG_ISOLATION = "the check ran with isolation {got!r}, but grading asked for {wanted!r}"
NO_SANDBOX = "Grading runs the students' code in a sandbox, and this machine has none: {detail}."
NO_SANDBOX_HINT = (
    "To grade safely, {install}; `tutor doctor` then says whether the sandbox works. Or add "
    "--no-sandbox to grade anyway: the students' code then runs as a plain process with your "
    "user's rights (do that only for code you trust, or inside a throwaway container or VM)."
)

# Statuses that earn nothing even when some properties passed: the code must not count at all.
_ZERO_CREDIT = frozenset({"forbidden_import", "tampered"})

# Libraries whose versions can change a verdict; recorded in every report.
_ENVIRONMENT_PACKAGES = ("numpy", "torch", "hypothesis")


class SandboxRequired(UsageError):
    """Grading was asked for with the sandbox, and this machine cannot make one (exit code 2)."""

    def __init__(self, detail: str) -> None:
        super().__init__(NO_SANDBOX.format(detail=detail), NO_SANDBOX_HINT.format(install=INSTALL_HINT))


@dataclass(frozen=True)
class GradeOptions:
    seed: int = DEFAULT_SEED
    limits: Limits | None = None
    """Worker limits; None means the tutor's defaults (a workspace's own [limits] are ignored)."""
    feedback_chars: int = FEEDBACK_CHARS
    isolation: Isolation = Isolation.SANDBOX
    """SANDBOX (the default): every check runs in the sandbox, and grading is refused where there
    is none. NONE (`--no-sandbox`): plain processes. Recorded in the report either way."""
    config: GradingConfig | None = None
    """The instructor's grading.toml (`--config`): its [points] replace the catalog's."""
    assignment: str | None = None
    """Grade only this assignment of `config` (`--assignment`), and name it in the report."""
    references: Path | None = None
    """Reference solutions, for grading an exercise whose own dependency fails (fairness.py);
    None: fairness.default_references()."""
    fair: bool = True
    """Grade a dependent exercise with the reference of a dependency that fails its own check."""
    replay: Path | None = None
    """A folder of passing properties' examples, replayed first (checking/replay.py): the same
    grades, faster for every workspace after the first. Used only with the sandbox."""
    nursery: bool = True
    """Fork each check's worker from one sandbox per workspace (checking/nursery.py) instead of
    starting a sandbox per check: the same grades, about 0.25 CPU-s less per check. Sandbox only."""


def grading_isolation(no_sandbox: bool) -> Isolation:
    """The isolation `tutor grade` and `grade-class` use. Raises SandboxRequired when the sandbox
    is wanted (no_sandbox is False) and this machine has none."""
    if no_sandbox:
        return Isolation.NONE
    found = support()
    if not found.available:
        raise SandboxRequired(found.detail)
    return Isolation.SANDBOX


Progress = Callable[[Exercise, "ExerciseGrade | None"], None]
"""Called with (exercise, None) before an exercise is graded and (exercise, grade) after."""


def gradable_exercises(course: Course) -> list[Exercise]:
    """What `tutor grade` grades: every exercise of the course, code and numeric, in course order."""
    return list(course.exercises)


def graded_course(course: Course, options: GradeOptions) -> Course:
    """`course` as these options grade it: grading.toml's points, and only the assignment's exercises."""
    if options.config is None:
        return course
    return options.config.course_for(course, options.assignment)


def credit(result: CheckResult) -> float:
    """Share of an exercise's points a check result earns: the weights of the passed properties.

    Nothing when the verdict is about the file as a whole (forbidden library, tampering, a file
    that does not load): partial credit only counts properties that were really checked.
    """
    if result.passed:
        return 1.0
    if str(result.status) in _ZERO_CREDIT or result.first_failure() is None:
        return 0.0
    return result.score_fraction


def environment() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in _ENVIRONMENT_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def grade_workspace(
    workspace: Workspace,
    course: Course,
    options: GradeOptions | None = None,
    progress: Progress | None = None,
) -> GradeReport:
    """Grade every gradable exercise of `course` in `workspace`. Never raises for student faults.

    Raises SandboxRequired before grading anything when options ask for the sandbox (the
    default) and this machine has none.
    """
    options = options or GradeOptions()
    if options.isolation is Isolation.SANDBOX and not support().available:
        raise SandboxRequired(support().detail)
    started_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    started = time.perf_counter()
    selected = graded_course(course, options)
    grades: list[ExerciseGrade] = []
    by_id: dict[str, ExerciseGrade] = {}
    workers = _nursery(workspace, selected, options)

    def fails_alone(dependency: Exercise) -> bool:
        """Does the student's own dependency fail its check? Graded here when the run has not."""
        if dependency.id not in by_id:
            by_id[dependency.id] = grade_code_exercise(workspace, dependency, options, workers=workers)
        return not by_id[dependency.id].full_marks

    try:
        for exercise in gradable_exercises(selected):
            if progress:
                progress(exercise, None)
            if exercise.is_code:
                grade = grade_code_exercise(workspace, exercise, options, course, fails_alone, workers)
                by_id[exercise.id] = grade
            else:
                grade = grade_numeric_question(workspace, course, exercise, options)
            grades.append(grade)
            if progress:
                progress(exercise, grade)
    finally:
        if workers is not None:
            workers.close()
    broken = any(g.status == GRADER_ERROR for g in grades)
    notes: tuple[str, ...] = ()
    if options.config is not None and options.assignment is not None:
        chosen = options.config.assignment(options.assignment)
        total = sum(e.points for e in selected.exercises)
        notes = (
            ASSIGNMENT_NOTE.format(
                name=chosen.name, title=chosen.title, count=len(selected.exercises), points=total
            ),
        )
    return GradeReport(
        tool_version=__version__,
        course=course.name,
        course_version=course.version,
        student=workspace.student,
        seed=options.seed,
        derandomized=True,
        isolation=str(options.isolation),
        status=GradeStatus.ERROR if broken else GradeStatus.COMPLETED,
        exercises=tuple(grades),
        environment=environment(),
        graded_at=started_at,
        seconds=round(time.perf_counter() - started, 3),
        notes=notes,
        assignment=options.assignment if options.config is not None else None,
    )


def _nursery(workspace: Workspace, course: Course, options: GradeOptions) -> Nursery | None:
    """The nursery that forks the workers of this workspace's checks, where it can (it starts
    at the first check that takes a worker from it)."""
    if not options.nursery or options.isolation is not Isolation.SANDBOX:
        return None
    code = [e for e in gradable_exercises(course) if e.is_code]
    if not code:
        return None
    from tutor.checking.nursery import Nursery  # noqa: F811 - at run time only here: it needs the sandbox module

    return Nursery(workspace.exercise_file(code[0]).parent)


def _helpers(workspace: Workspace, exercise: Exercise) -> tuple[Submission | None, dict[str, str | None]]:
    """The exercise's snapshot (None if its file cannot be read) and the SHA-256 of every sibling
    module it imports, by path relative to the workspace."""
    try:
        submission = snapshot(workspace.exercise_file(exercise), workspace.root, exercise=exercise)
    except (OSError, UnsafeFile):
        return None, {}
    folder = Path(workspace.relative_exercise_file(exercise)).parent
    return submission, {
        (folder / name).as_posix(): hashlib.sha256(data).hexdigest()
        for name, data in sorted(submission.files.items())
        # Modules built from a notebook's cells are no files: the notebook's own digest covers them.
        if name != submission.main and name not in submission.generated
    }


def grade_code_exercise(
    workspace: Workspace,
    exercise: Exercise,
    options: GradeOptions,
    course: Course | None = None,
    fails_alone: Callable[[Exercise], bool] | None = None,
    workers: WorkerSource | None = None,
) -> ExerciseGrade:
    """Grade one code exercise. With `course` and `fails_alone` (grade_workspace passes them), a
    sibling module that is another exercise of `course` failing its own check is replaced by that
    exercise's reference solution for this check (fairness.py). `workers`: where the check's
    worker comes from when it can (a Nursery), else it starts its own."""
    relative = workspace.relative_exercise_file(exercise)
    path = workspace.exercise_file(exercise)
    started = time.perf_counter()
    submission, helpers = _helpers(workspace, exercise)
    # Read before checking: this is the content the grade is for. A file the grader does not read
    # (a link out of the workspace, a device, a FIFO, too large) earns nothing, and no check runs.
    unsafe: str | None = None
    try:
        digest: str | None = hashlib.sha256(read_regular_file(path, workspace.root)).hexdigest()
    except OSError:
        digest = None  # missing: the check says so
    except UnsafeFile as error:
        digest, unsafe = None, error.reason

    def grade(status: str, message: str, points: float = 0.0, **extra: object) -> ExerciseGrade:
        feedback, cut = truncate(str(extra.pop("feedback", message)), exercise.id, options.feedback_chars)
        return ExerciseGrade(
            id=exercise.id,
            title=exercise.title,
            kind=exercise.kind,
            file=relative,
            sha256=digest,
            status=status,
            points=points,
            max_points=float(exercise.points),
            message=message,
            feedback=feedback,
            feedback_truncated=cut,
            seconds=round(time.perf_counter() - started, 3),
            helpers=helpers,
            **extra,  # type: ignore[arg-type]
        )

    if unsafe is not None:
        from tutor.checking.messages import UNSAFE_FILE, UNSAFE_NOTEBOOK
        from tutor.notebook.files import is_notebook

        template = UNSAFE_NOTEBOOK if is_notebook(relative) else UNSAFE_FILE
        return grade("unsafe_file", template.format(file=relative, reason=unsafe, exercise=exercise.id))
    if digest is not None and digest == file_digest(exercise.stub_path()):
        # Byte for byte the pristine stub, which raises NotImplementedError: no worker needed.
        return grade("not_implemented", NOT_STARTED.format(file=relative, exercise=exercise.id))
    # Only now that the check will run: is a dependency it imports broken on its own (fairness.py)?
    replacements: dict[str, bytes] = {}
    substituted: list[Exercise] = []
    if submission is not None and course is not None and fails_alone is not None and options.fair:
        from tutor.grading import fairness

        references = options.references or fairness.default_references()
        for dependency in fairness.imported_exercises(submission, course, exercise):
            source = fairness.reference_source(references, dependency)
            if source is not None and fails_alone(dependency):
                replacements[Path(dependency.relative_file()).name] = source
                substituted.append(dependency)
    try:
        from tutor.checking.engine import CheckOptions, run_check
        from tutor.checking.replay import ReplayStore
        from tutor.checking.sandbox import Limits

        check_options = CheckOptions(
            limits=options.limits or Limits(),
            derandomize=True,
            seed=options.seed,
            display_file=relative,
            root=workspace.root,
            isolation=options.isolation,
            replay=ReplayStore(options.replay)
            if options.replay is not None and options.isolation is Isolation.SANDBOX
            else None,
        )
        if replacements and submission is not None:
            from tutor.grading import fairness

            with fairness.staged(submission, replacements) as copy:
                result = run_check(exercise, copy, dataclasses.replace(check_options, root=copy.parent))
        else:
            result = run_check(exercise, path, check_options, workers)
        if result.isolation and result.isolation != str(options.isolation):
            raise RuntimeError(WRONG_ISOLATION.format(got=result.isolation, wanted=str(options.isolation)))
    except Exception as error:  # noqa: BLE001 - one broken check must not lose the other grades
        message = GRADER_CRASHED.format(exercise=exercise.id, error=f"{type(error).__name__}: {error}")
        return grade(GRADER_ERROR, message)
    fraction = credit(result)
    max_points = float(exercise.points)
    total_weight = sum(p.weight for p in result.properties) or 1.0
    properties = tuple(
        PropertyGrade(
            name=p.name,
            status=str(p.status),
            weight=p.weight,
            points=round(max_points * p.weight / total_weight, 2) if p.passed and fraction > 0 else 0.0,
            max_points=round(max_points * p.weight / total_weight, 2),
            examples=p.examples,
        )
        for p in result.properties
    )
    feedback = check_feedback(result)
    if substituted:
        from tutor.grading import fairness

        feedback = fairness.message(exercise, substituted) + "\n\n" + feedback
    failure = result.first_failure()
    return grade(
        str(result.status),
        result.message,
        round(max_points * fraction, 2),
        feedback=feedback,
        properties=properties,
        line=result.detail.get("line"),
        misconception=failure.diagnosis if failure is not None else None,
        substituted=tuple(d.id for d in substituted),
    )


def grade_numeric_question(
    workspace: Workspace, course: Course, exercise: Exercise, options: GradeOptions
) -> ExerciseGrade:
    """Re-measure the answers to one numeric question from answers.toml (never the recorded verdicts)."""
    from tutor.errors import TutorError

    relative = workspace.display(workspace.answers_path())
    digest = file_digest(workspace.answers_path(), workspace.root)
    started = time.perf_counter()
    base: dict[str, Any] = {
        "id": exercise.id,
        "title": exercise.title,
        "kind": exercise.kind,
        "file": relative,
        "sha256": digest,
    }
    max_points = float(exercise.points)
    try:
        read_regular_file(workspace.answers_path(), workspace.root)
    except FileNotFoundError:
        pass  # no answers yet: every part is "not answered"
    except (UnsafeFile, OSError) as error:
        reason = error.reason if isinstance(error, UnsafeFile) else str(error)
        message = ANSWERS_UNSAFE.format(file=relative, exercise=exercise.id, reason=reason)
        return ExerciseGrade(
            **base,
            status="unsafe_file",
            points=0.0,
            max_points=max_points,
            message=message,
            feedback=message,
            seconds=round(time.perf_counter() - started, 3),
        )
    try:
        from tutor.questions import grade_answers

        # One question at a time: its own timing, and one broken question cannot hide the others.
        (graded,) = grade_answers(workspace, dataclasses.replace(course, exercises=(exercise,)))
    except TutorError as error:  # answers.toml is the student's file: unreadable TOML is their fault
        message = ANSWERS_UNREADABLE.format(file=relative, exercise=exercise.id, error=error.message)
        return ExerciseGrade(
            **base,
            status="failed",
            points=0.0,
            max_points=max_points,
            message=message,
            feedback=message,
            seconds=round(time.perf_counter() - started, 3),
        )
    except Exception as error:  # noqa: BLE001 - one broken question must not lose the other grades
        message = GRADER_CRASHED.format(exercise=exercise.id, error=f"{type(error).__name__}: {error}")
        return ExerciseGrade(
            **base,
            status=GRADER_ERROR,
            points=0.0,
            max_points=max_points,
            message=message,
            feedback=message,
            seconds=round(time.perf_counter() - started, 3),
        )
    share = round(max_points / len(graded.parts), 2) if graded.parts else 0.0
    properties = tuple(
        PropertyGrade(
            name=f"part {part.name}",
            status="passed" if part.correct else "not_answered" if part.given is None else "failed",
            weight=1.0,
            points=share if part.correct else 0.0,
            max_points=share,
            examples=0 if part.given is None else 1,
        )
        for part in graded.parts
    )
    lines = [graded.message] + [
        f"  {'✓' if p.correct else '✗'} part {p.name}: "
        + ("not answered" if p.given is None else f"your answer {p.given}")
        for p in graded.parts
    ]
    feedback, cut = truncate("\n".join(lines), exercise.id, options.feedback_chars)
    return ExerciseGrade(
        **base,
        status=graded.status,
        points=float(graded.points),
        max_points=max_points,
        message=graded.message,
        feedback=feedback,
        feedback_truncated=cut,
        properties=properties,
        seconds=round(time.perf_counter() - started, 3),
    )

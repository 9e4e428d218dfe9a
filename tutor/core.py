"""What the commands do, without printing or exiting. The CLI calls these and renders the results.

Only `check_exercise` needs torch and hypothesis, and it imports them when called.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.catalog import Course, Exercise
from tutor.errors import UsageError
from tutor.workspace import ExerciseState, Workspace, file_digest

if TYPE_CHECKING:
    from tutor.checking.engine import CheckOptions
    from tutor.checking.result import CheckResult
    from tutor.checking.sandbox import Limits, SpareWorker


@dataclass(frozen=True)
class ExerciseRow:
    exercise: Exercise
    state: ExerciseState


def course_states(workspace: Workspace | None, course: Course) -> list[ExerciseRow]:
    """Every exercise in course order with its state in this workspace."""
    if workspace is None:
        return [ExerciseRow(e, ExerciseState.NOT_STARTED) for e in course.exercises]
    from tutor.questions import answer_states  # numeric questions: their recorded verdicts (no torch)

    progress = workspace.progress()
    records = progress.read()
    numeric = answer_states(workspace, [e for e in course.exercises if not e.is_code])
    return [
        ExerciseRow(e, numeric[e.id] if e.id in numeric else progress.state_of(workspace, e, records))
        for e in course.exercises
    ]


def next_exercise(rows: list[ExerciseRow]) -> Exercise | None:
    """The first exercise, in course order, that is not done."""
    return next((row.exercise for row in rows if row.state is not ExerciseState.DONE), None)


def session_opening(course: Course, rows: list[ExerciseRow], upcoming: Exercise) -> str | None:
    """'Session 1 complete…' when `upcoming` opens a session and every earlier one is done."""
    first_of_session = next(row.exercise for row in rows if row.exercise.session == upcoming.session)
    earlier = [row for row in rows if row.exercise.session < upcoming.session]
    if (
        first_of_session.id != upcoming.id
        or not earlier
        or any(row.state is not ExerciseState.DONE for row in earlier)
    ):
        return None
    finished = earlier[-1].exercise.session
    return f"Session {finished} complete. Session {upcoming.session} starts here: {course.session(upcoming.session).title}."


def hint_levels(workspace: Workspace | None, exercise: Exercise, show_all: bool) -> list[str]:
    """The hints to show: one more level each time it is asked, or every level with show_all."""
    if not exercise.hints:
        return []
    if show_all or workspace is None:
        return list(exercise.hints) if show_all else list(exercise.hints[:1])
    store = workspace.hints()
    seen = int(store.read().get(exercise.id, 0) or 0)
    level = min(seen + 1, len(exercise.hints))
    store.update(exercise.id, level)
    return list(exercise.hints[:level])


def limits_for(workspace: Workspace | None, **overrides: Any) -> Limits:
    """Worker limits: defaults, then tutor.toml's [limits] table, then command-line overrides."""
    from dataclasses import fields

    from tutor.checking.sandbox import Limits

    known = {f.name for f in fields(Limits)}
    configured = dict((workspace.settings.get("limits", {}) if workspace else {}) or {})
    unknown = sorted(set(configured) - known)
    if unknown:
        raise UsageError(
            f"tutor.toml has unknown [limits] key(s): {', '.join(unknown)}.",
            f"Known keys: {', '.join(sorted(known))}.",
        )
    values = configured | {k: v for k, v in overrides.items() if v is not None}
    try:
        return Limits(**values)
    except ValueError as error:
        raise UsageError(
            f"Invalid worker limit: {error}.",
            "Fix the [limits] table in tutor.toml or the command-line option.",
        ) from None


def resolve_file(workspace: Workspace | None, exercise: Exercise, file: Path | None) -> Path:
    if file is not None:
        path = file
    elif workspace is not None:
        path = workspace.exercise_file(exercise)
    else:
        from tutor.errors import NotAWorkspace

        raise NotAWorkspace(str(Path.cwd()))
    # Only a name with nothing behind it is a usage error: a FIFO, a folder or a link to a device
    # is the student's file gone wrong, and the check says so (unsafe_file) without reading it.
    if not os.path.lexists(path):
        raise UsageError(
            f"There is no file {path} for exercise {exercise.id}.",
            f"Run `tutor reset {exercise.id}` to restore the stub."
            if file is None
            else "Check the path given to --file.",
        )
    return path


REPRODUCE_MAX_LINES = 30
"""A reproduce snippet longer than this is also written to .tutor/reproduce/ID.py (a terminal scrolls)."""


def _save_long_reproduce(
    workspace: Workspace, exercise: Exercise, path: Path, result: CheckResult
) -> CheckResult:
    """Write a long reproduce snippet to a file the student can run with `python PATH` from anywhere."""
    from dataclasses import replace

    failure = result.first_failure()
    example = failure.counterexample if failure else None
    if failure is None or example is None or example.reproduce.count("\n") < REPRODUCE_MAX_LINES:
        return result
    target = workspace.state_dir() / "reproduce" / f"{exercise.id}.py"
    folder = os.path.dirname(os.path.abspath(path))
    header = f"import sys\n\nsys.path.insert(0, {folder!r})  # the folder of the checked file\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(header + example.reproduce + "\n", encoding="utf-8")
    shown = workspace.display(target)
    failure_now = replace(failure, counterexample=replace(example, reproduce_file=shown))
    properties = tuple(failure_now if p is failure else p for p in result.properties)
    return replace(result, properties=properties)


def _check_options(
    workspace: Workspace | None, exercise: Exercise, path: Path, limits: Limits | None, seed: int | None
) -> tuple[CheckOptions, bool]:
    """The options a check of `path` runs with, and whether it is the workspace's own file."""
    from tutor.checking.engine import CheckOptions

    own_file = workspace is not None and os.path.realpath(path) == os.path.realpath(
        workspace.exercise_file(exercise)
    )
    options = CheckOptions.from_environment(
        limits=limits or limits_for(workspace),
        seed=seed,
        database_dir=workspace.hypothesis_dir() if workspace else None,
        display_file=workspace.display(path) if workspace else None,
        # The workspace's own files (and links to them) must stay inside it; a --file elsewhere
        # must stay in its own folder.
        root=workspace.root if own_file and workspace else None,
        # A --file elsewhere may import earlier exercises (`from conv2d import conv2d`): from the
        # current workspace's exercises/ folder when they are not next to it.
        library=workspace.exercise_file(exercise).parent if workspace and not own_file else None,
    )
    return options, own_file


def check_exercise(
    workspace: Workspace | None,
    exercise: Exercise,
    file: Path | None = None,
    limits: Limits | None = None,
    seed: int | None = None,
    spare: SpareWorker | None = None,
) -> CheckResult:
    """Check the student's file and record the outcome in the workspace's progress.

    `spare`: where a worker started ahead (prepare_check) waits; the check uses it if it fits.
    """
    from tutor.checking.engine import run_check

    if not exercise.is_code:
        raise UsageError(
            f"{exercise.id} is a numeric question, not a code exercise.",
            f"Run `tutor show {exercise.id}` to read it and `tutor answer {exercise.id} VALUE` to answer.",
        )
    path = resolve_file(workspace, exercise, file)
    options, own_file = _check_options(workspace, exercise, path, limits, seed)
    # Digest before checking, so an edit saved during the check is not recorded as passed.
    digest = file_digest(path)
    result = run_check(exercise, path, options, spare)
    if workspace is not None:
        result = _save_long_reproduce(workspace, exercise, path, result)
    if own_file:
        assert workspace is not None
        workspace.progress().record(exercise.id, str(result.status), digest)
    return result


def prepare_check(
    workspace: Workspace, exercise: Exercise | None, spare: SpareWorker, limits: Limits | None = None
) -> None:
    """Start, in `spare`, the worker the next check of this exercise's file will need (watch mode
    does it while the student edits). It holds no student code until that check gives it the
    files it reads. None, or a numeric question: nothing to prepare, and an unused spare is stopped."""
    from tutor.checking.engine import worker_kind

    if exercise is None or not exercise.is_code:
        spare.close()
        return
    path = workspace.exercise_file(exercise)  # it may be missing now and saved before the check
    options, _ = _check_options(workspace, exercise, path, limits, None)
    spare.prepare(worker_kind(exercise, path, options))


SOLUTION_QUESTION = "{id} is a numeric question: it has no reference solution. `tutor answer {id} VALUE` says whether you are right."
SOLUTION_NOT_PASSED = "The reference solution of {id} is shown only once your {file} passes ({state} now)."
SOLUTION_NOT_PASSED_HINT = (
    "Run `tutor check {id}`; when it passes, `tutor solution {id}` shows how the course wrote it."
)
SOLUTION_CHANGED_HINT = (
    "{file} changed since it passed: run `tutor check {id}` again, then `tutor solution {id}`."
)
SOLUTIONS_UNAVAILABLE = "The reference solutions are not installed: the cnn-tutor package does not ship them."
SOLUTIONS_UNAVAILABLE_HINT = (
    "Ask your instructor, or point the tutor at a source checkout: "
    "export TUTOR_SOLUTIONS=/path/to/cnn-tutor/solutions (a folder of <id>.py files)."
)
SOLUTION_MISSING = "There is no reference solution for {id} in {folder}."


@dataclass(frozen=True)
class Solution:
    exercise: Exercise
    path: Path
    """Where the reference was read from (never copied anywhere)."""
    text: str


def reference_solution(workspace: Workspace, exercise: Exercise) -> Solution:
    """The course's reference solution, only when the student's current file has passed.

    "Passed" is the recorded check of this very file content (its digest), as `tutor list` shows
    it done: a later edit hides the solution again until the file passes once more.
    """
    from tutor.errors import TutorError
    from tutor.grading.fairness import default_references  # the one rule: $TUTOR_SOLUTIONS, else a checkout

    if not exercise.is_code:
        raise UsageError(SOLUTION_QUESTION.format(id=exercise.id))
    file = workspace.display(workspace.exercise_file(exercise))
    state = workspace.progress().state_of(workspace, exercise, workspace.progress().read())
    if state is not ExerciseState.DONE:
        hint = SOLUTION_CHANGED_HINT if state is ExerciseState.CHANGED else SOLUTION_NOT_PASSED_HINT
        raise TutorError(
            SOLUTION_NOT_PASSED.format(id=exercise.id, file=file, state=state.value),
            hint.format(id=exercise.id, file=file),
        )
    folder = default_references()
    if folder is None or not folder.is_dir():
        raise TutorError(SOLUTIONS_UNAVAILABLE, SOLUTIONS_UNAVAILABLE_HINT)
    path = folder / f"{exercise.id}.py"
    if not path.is_file():
        raise TutorError(SOLUTION_MISSING.format(id=exercise.id, folder=folder), SOLUTIONS_UNAVAILABLE_HINT)
    return Solution(exercise, path, path.read_text(encoding="utf-8"))

"""A student workspace: a folder with tutor.toml at its root, exercises/ and the tutor's state.

The tutor's own state lives in .tutor/ (progress, hint levels, backups, replay database) and
is only ever written by the tutor process, atomically and under a lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from tutor import __version__
from tutor.catalog import Course, Exercise
from tutor.errors import NotAWorkspace, WorkspaceError

WORKSPACE_FILE = "tutor.toml"
STATE_DIR = ".tutor"

STUDENT_README = """\
# My CNN exercises

This folder is a cnn-tutor workspace{student_line}.

- `tutor next` shows the next exercise; edit the file it names in `exercises/`.
- `tutor check ID` checks one exercise against PyTorch and shows what is wrong.
- `tutor hint ID` gives a hint, one level at a time.
- `tutor list` shows your progress.

Commit your `exercises/` folder (and `answers.toml`, once you answer numeric questions).
The `.tutor/` folder is the tutor's own state; it is ignored by git.
"""

GITIGNORE = ".tutor/\n__pycache__/\n"


class ExerciseState(StrEnum):
    NOT_STARTED = "not started"
    FAILING = "failing"
    DONE = "done"
    CHANGED = "changed since it passed"


@dataclass(frozen=True)
class Workspace:
    root: Path
    student: str | None = None
    course_version: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    """Everything in tutor.toml, e.g. the optional [limits] table."""

    def exercise_file(self, exercise: Exercise) -> Path:
        """The file the exercise is checked and graded from: exercises/ID.py, or the session's
        notebook (notebooks/sessionN.ipynb, from `tutor init --notebooks`) when it exists and
        exercises/ID.py is missing or still the pristine stub. A .py file the student changed wins."""
        python_file = self.root / exercise.relative_file()
        notebook = self.root / exercise.relative_notebook()
        if not exercise.is_code or not os.path.lexists(notebook):
            return python_file
        if os.path.lexists(python_file) and file_digest(python_file) != file_digest(exercise.stub_path()):
            return python_file
        return notebook

    def relative_exercise_file(self, exercise: Exercise) -> str:
        """exercise_file relative to the workspace root, with forward slashes (reports, messages)."""
        return self.exercise_file(exercise).relative_to(self.root).as_posix()

    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    def progress(self) -> Progress:
        return Progress(self.state_dir() / "progress.json")

    def repair_state(self) -> list[str]:
        """Rebuild any of the tutor's state files that is corrupt or was edited by hand.

        Returns one sentence per file that had to be rebuilt, for the CLI to show as a warning.
        """
        return [problem for problem in (self.progress().repair(), self.hints().repair()) if problem]

    def hints(self) -> Hints:
        return Hints(self.state_dir() / "hints.json")

    def hypothesis_dir(self) -> Path:
        return self.state_dir() / "hypothesis"

    def backups_dir(self) -> Path:
        return self.state_dir() / "backups"

    @property
    def tutor_source(self) -> str | None:
        """Where CI installs cnn-tutor from ([grading] tutor_source in tutor.toml), if set."""
        grading = self.settings.get("grading")
        value = grading.get("tutor_source") if isinstance(grading, dict) else None
        return str(value) if value else None

    def answers_path(self) -> Path:
        return self.root / "answers.toml"

    def display(self, path: Path) -> str:
        """A path as the student sees it: relative to the workspace root."""
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)


def _valid_record(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and isinstance(record.get("status"), str)
        and (record.get("sha256") is None or isinstance(record.get("sha256"), str))
    )


def file_digest(path: Path, root: Path | None = None) -> str | None:
    """SHA-256 of a student's file, or None when it is missing or is not a file the grader reads.

    With `root`, a file (or link) that leads outside it counts as unreadable. Never blocks on a
    FIFO or device, never reads more than tutor.checking.submission.MAX_FILE_BYTES.
    """
    from tutor.checking.submission import safe_digest

    return safe_digest(path, root)


def find_workspace(start: Path | None = None) -> Workspace:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        config = folder / WORKSPACE_FILE
        if config.is_file():
            return _read_workspace(config)
    raise NotAWorkspace(str(here))


def _read_workspace(config: Path) -> Workspace:
    from tutor.checking.submission import UnsafeFile, read_regular_file

    try:
        data = tomllib.loads(read_regular_file(config, config.parent).decode("utf-8"))
    except (OSError, UnsafeFile, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise WorkspaceError(
            f"{config} cannot be read: {error}.",
            "Fix the TOML syntax, or move the file away and run `tutor init .` to write a new one.",
        ) from None
    section = data.get("workspace", {})
    student = section.get("student") or None
    return Workspace(
        root=config.parent,
        student=str(student) if student is not None else None,
        course_version=str(section.get("course_version", "")),
        settings=data,
    )


def _toml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def init_workspace(
    target: Path,
    course: Course,
    student: str | None = None,
    tutor_source: str | None = None,
    gitlab: bool = False,
    notebooks: bool = False,
) -> tuple[Workspace, list[str]]:
    """Create a workspace at `target`. Returns it and the exercise files that were written.

    Existing exercise files are kept (so init can repair a workspace); solutions are never copied.
    `tutor_source`: where CI installs cnn-tutor from (checked by
    tutor.grading.templates.check_tutor_source, recorded under [grading] in tutor.toml, written
    into the CI files). `gitlab`: also write .gitlab-ci.yml. `notebooks`: one notebook per
    session in notebooks/ instead of a file per exercise in exercises/ (tutor/notebook/generate.py).
    """
    from tutor.grading.templates import (
        GITLAB_PATH,
        WORKFLOW_PATH,
        check_tutor_source,
        github_workflow,
        gitlab_ci,
    )

    if tutor_source is not None:
        tutor_source = check_tutor_source(tutor_source)
    target = target.resolve()
    config = target / WORKSPACE_FILE
    if config.exists():
        raise WorkspaceError(
            f"{target} is already a cnn-tutor workspace (it has {WORKSPACE_FILE}).",
            f"cd {target} and run `tutor next`, or choose another folder.",
        )
    written = []
    if notebooks:
        from tutor.notebook.generate import write_notebooks

        written = write_notebooks(target, course)
    else:
        (target / "exercises").mkdir(parents=True, exist_ok=True)
        for exercise in course.code_exercises():
            destination = target / exercise.relative_file()
            if not destination.exists():
                shutil.copyfile(exercise.stub_path(), destination)
                written.append(exercise.relative_file())
    lines = [
        "# This file marks the root of a cnn-tutor workspace. Commit it.",
        "[workspace]",
        f"course = {_toml_string(course.name)}",
        f"course_version = {_toml_string(course.version)}",
        f"tutor_version = {_toml_string(__version__)}",
    ]
    if student:
        lines.append(f"student = {_toml_string(student)}")
    if tutor_source:
        lines += [
            "",
            "# Where CI installs cnn-tutor from (the generated CI files carry the same value).",
            "[grading]",
            f"tutor_source = {_toml_string(tutor_source)}",
        ]
    atomic_write(config, "\n".join(lines) + "\n")
    readme = target / "README.md"
    if not readme.exists():
        student_line = f" for student {student}" if student else ""
        atomic_write(readme, STUDENT_README.format(student_line=student_line))
    gitignore = target / ".gitignore"
    if not gitignore.exists():
        atomic_write(gitignore, GITIGNORE)
    workflow = target / WORKFLOW_PATH  # GitHub Actions grading (README: Autograding)
    if not workflow.exists():
        atomic_write(workflow, github_workflow(tutor_source))
    if gitlab and not (target / GITLAB_PATH).exists():
        atomic_write(target / GITLAB_PATH, gitlab_ci(tutor_source))
    return _read_workspace(config), written


NOTEBOOK_RESET = "{id} is in {notebook}, and `tutor reset` never rewrites a notebook (it is all your work)."
NOTEBOOK_RESET_HINT = (
    "Paste the stub back into its cell yourself: `tutor init NEW-FOLDER --notebooks` writes fresh "
    "notebooks to copy it from."
)


def resettable_file(workspace: Workspace, exercise: Exercise) -> Path:
    """The file `tutor reset` would restore: exercises/ID.py. Raises WorkspaceError when the
    exercise is checked from a notebook (from `tutor init --notebooks`)."""
    current = workspace.exercise_file(exercise)
    if current.suffix == ".ipynb":
        raise WorkspaceError(
            NOTEBOOK_RESET.format(id=exercise.id, notebook=workspace.display(current)), NOTEBOOK_RESET_HINT
        )
    return current


def pristine_stub(exercise: Exercise) -> Path:
    path = exercise.stub_path()
    if not path.is_file():
        raise WorkspaceError(
            f"The stub for {exercise.id} is missing from the installed course ({path}).",
            "Reinstall cnn-tutor.",
        )
    return path


def stub_digest(exercise: Exercise) -> str | None:
    """SHA-256 of the installed stub (None when the course has none, e.g. a test course)."""
    path = exercise.stub_path()
    return file_digest(path) if path.is_file() else None


def reset_exercise(workspace: Workspace, exercise: Exercise) -> Path | None:
    """Restore the stub. Returns where the student's previous file was backed up (None if there was none)."""
    destination = resettable_file(workspace, exercise)
    backup = None
    if destination.exists():
        workspace.backups_dir().mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = workspace.backups_dir() / f"{exercise.id}-{stamp}.py"
        counter = 1
        while backup.exists():
            backup = workspace.backups_dir() / f"{exercise.id}-{stamp}-{counter}.py"
            counter += 1
        shutil.copy2(destination, backup)
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pristine_stub(exercise), destination)
    # The last check was of a file that is gone: the exercise is to do again, not "changed since it passed".
    workspace.progress().forget(exercise.id)
    return backup


# -- state files -------------------------------------------------------------------------------------


def atomic_write(path: Path, text: str, mode: int | None = None) -> None:
    """Write via a temporary file in the same folder, fsync and rename, so a reader never sees
    half a file. An existing link at `path` is replaced, never written through. `mode`: the
    file's permissions (default: the temporary file's 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        if mode is not None:
            os.fchmod(handle, mode)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class JsonStore:
    """A small JSON object on disk: read tolerantly, updated under an exclusive lock, written atomically.

    The tutor's state is a convenience, never evidence (grading re-checks the code): a file that
    is corrupt or was edited by hand is set aside, reported once and started afresh, never a crash.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None
        """Why the file could not be used as it was, in words for the student (None if it was fine)."""

    def _display(self) -> str:
        return f"{self.path.parent.name}/{self.path.name}"

    def read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, UnicodeDecodeError, RecursionError) as error:
            reason = (
                "is not valid JSON"
                if isinstance(error, ValueError | RecursionError)
                else f"cannot be read ({error.__class__.__name__})"
            )
            self.problem = f"{self._display()} {reason}"
            return {}
        if not isinstance(data, dict):
            self.problem = f"{self._display()} does not hold a JSON object"
            return {}
        return self.clean(data)

    def clean(self, data: dict[str, Any]) -> dict[str, Any]:
        """Drop entries the tutor cannot have written (subclasses say what is valid)."""
        return data

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _set_aside(self) -> Path | None:
        """Keep the unusable file for inspection, under a name that is never read back."""
        if not (self.path.exists() or self.path.is_symlink()):
            return None
        aside = self.path.with_name(
            f"{self.path.stem}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}{self.path.suffix}"
        )
        counter = 1
        while aside.exists():
            aside = aside.with_name(
                f"{self.path.stem}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}-{counter}{self.path.suffix}"
            )
            counter += 1
        try:
            os.replace(self.path, aside) if not self.path.is_dir() else os.rename(self.path, aside)
        except OSError:
            return None
        return aside

    def _rebuilt(self, data: dict[str, Any]) -> None:
        """Under the lock, after a read that set `problem`: set the old file aside, write `data`."""
        aside = self._set_aside()
        atomic_write(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n")
        kept = f" The old file was kept as {self.path.parent.name}/{aside.name}." if aside else ""
        self.problem = f"{self.problem}, so the tutor rebuilt it.{kept}"

    def repair(self) -> str | None:
        """Rebuild the file now if it is unusable. Returns what was wrong, or None if it was fine."""
        if not (self.path.exists() or self.path.is_symlink()):
            return None
        with self._locked():
            self.problem = None
            data = self.read()
            if self.problem is None:
                return None
            self._rebuilt(data)
        return self.problem

    def update(self, key: str, value: Any) -> None:
        self._change(lambda data: data.__setitem__(key, value))

    def forget(self, key: str) -> None:
        """Drop one entry (nothing happens when there is none)."""
        if self.path.exists():
            self._change(lambda data: data.pop(key, None))

    def _change(self, edit: Callable[[dict[str, Any]], object]) -> None:
        with self._locked():
            self.problem = None
            data = self.read()
            edit(data)
            if self.problem is not None:
                self._rebuilt(data)
            else:
                atomic_write(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n")


class Progress(JsonStore):
    """Per-exercise record of the last check: {"status", "sha256", "checked_at"}.

    Written only by the tutor process after a check. Nothing here is trusted for grading:
    `tutor grade` re-checks the files and never reads this file.
    """

    def record(self, exercise_id: str, status: str, sha256: str | None) -> None:
        self.update(
            exercise_id,
            {"status": status, "sha256": sha256, "checked_at": time.strftime("%Y-%m-%dT%H:%M:%S")},
        )

    def clean(self, data: dict[str, Any]) -> dict[str, Any]:
        kept = {key: record for key, record in data.items() if _valid_record(record)}
        dropped = sorted(set(data) - set(kept))
        if dropped:
            self.problem = f"{self._display()} had entries the tutor did not write ({', '.join(dropped[:5])})"
        return kept

    def state_of(self, workspace: Workspace, exercise: Exercise, records: dict[str, Any]) -> ExerciseState:
        record = records.get(exercise.id)
        if not isinstance(record, dict):
            return ExerciseState.NOT_STARTED
        digest = file_digest(workspace.exercise_file(exercise), workspace.root)
        if record.get("status") == "passed" and record.get("sha256") == digest:
            return ExerciseState.DONE
        if digest is not None and digest == stub_digest(exercise):
            return ExerciseState.NOT_STARTED  # the stub again (reset, or restored by hand): nothing to judge
        return ExerciseState.CHANGED if record.get("status") == "passed" else ExerciseState.FAILING


class Hints(JsonStore):
    """Per-exercise hint level already shown: {"corr2d": 2}."""

    def clean(self, data: dict[str, Any]) -> dict[str, Any]:
        kept = {
            key: level
            for key, level in data.items()
            if isinstance(level, int) and not isinstance(level, bool) and level >= 0
        }
        dropped = sorted(set(data) - set(kept))
        if dropped:
            self.problem = f"{self._display()} had entries the tutor did not write ({', '.join(dropped[:5])})"
        return kept

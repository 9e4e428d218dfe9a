"""The watch loop's core: which exercise is followed, what a key does, when to check again.

No printing and no terminal handling here (that is tutor/cli/watch_cmd.py); the session is
driven by `press(key)` and `file_changed()`, and the screen is rendered from `view()`.

File changes are found by polling modification times, sizes and inode numbers. Polling works
everywhere, including WSL2 and network drives where native file events are known to be lost,
and a few stat calls every 0.1 s cost nothing.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.catalog import Course, Exercise
from tutor.core import ExerciseRow, course_states, hint_levels, next_exercise
from tutor.errors import TutorError
from tutor.workspace import ExerciseState, Workspace

if TYPE_CHECKING:
    from tutor.checking.result import CheckResult
    from tutor.questions import PartGrade

POLL_SECONDS = 0.1
# An editor may write a file in several steps (or replace it by renaming): wait until it stays still.
# Editors finish a save within milliseconds; a check of a half-written file is followed by another
# as soon as the rest lands, so a short wait keeps the verdict quick (benchmarks/watch_latency.py).
SETTLE_SECONDS = 0.05
SETTLE_LIMIT_SECONDS = 2.0

KEYS = {"n": "next", "h": "hint", "l": "list", "r": "rerun", "q": "quit"}
"""The keys watch mode answers to, and what each does (also shown in the footer)."""
ENTER = ("\r", "\n")
ESCAPE = "\x1b"
BACKSPACE = ("\x7f", "\b")


Stamp = tuple[int, int, int] | None


def stamp(path: Path) -> Stamp:
    """What identifies one version of a file: (mtime_ns, size, inode); None when it does not exist."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


class PollingWatcher:
    """Tells when any of a few files changed, by comparing stamps. Never misses a save, on any file system."""

    def __init__(self, paths: Iterable[Path] = (), sleep: Callable[[float], None] = time.sleep) -> None:
        self.sleep = sleep
        self.watch(paths)

    def watch(self, paths: Iterable[Path]) -> None:
        """Follow these files from now on (their current versions count as seen)."""
        self.paths = list(paths)
        self.seen = {path: stamp(path) for path in self.paths}

    def changed(self) -> bool:
        now = {path: stamp(path) for path in self.paths}
        if now == self.seen:
            return False
        self.seen = self._settled(now)
        return True

    def _settled(self, now: dict[Path, Stamp]) -> dict[Path, Stamp]:
        """Wait until a change stops changing (and a file being replaced is back), within a limit."""
        waited = 0.0
        while waited < SETTLE_LIMIT_SECONDS:
            self.sleep(SETTLE_SECONDS)
            waited += SETTLE_SECONDS
            later = {path: stamp(path) for path in self.paths}
            if later == now and all(s is not None for s in later.values()):
                return later
            now = later
        return now


class Step(Enum):
    """What the terminal loop should do after a key press."""

    NOTHING = "nothing"
    REDRAW = "redraw"
    CHECK = "check"
    QUIT = "quit"


@dataclass
class WatchView:
    """Everything the watch screen shows (rendered by tutor.render.watch_screen)."""

    course: Course
    rows: list[ExerciseRow]
    exercise: Exercise | None
    """The exercise followed; None once the whole course is done."""
    file: str
    """The file being watched, as the student would type it."""
    result: CheckResult | None = None
    error: TutorError | None = None
    """A problem the student can fix (e.g. the file was deleted), shown instead of a verdict."""
    hints: list[str] = field(default_factory=list)
    listing: bool = False
    typed: str = ""
    """Digits typed while the list is open."""
    note: str = ""
    """One line of feedback, e.g. 'There is no exercise 42.'"""
    state: ExerciseState = ExerciseState.NOT_STARTED
    parts: tuple[PartGrade, ...] = ()
    """A numeric question's parts: each answer given so far and whether it is right."""


class WatchSession:
    """Follows one exercise at a time; a key moves on, shows a hint, opens the list, re-runs or quits."""

    def __init__(
        self,
        workspace: Workspace,
        course: Course,
        check: Callable[[Exercise], CheckResult],
        start: Exercise | None = None,
        prepare: Callable[[Exercise | None], None] | None = None,
    ) -> None:
        self.workspace = workspace
        self.course = course
        self._check = check
        self._prepare = prepare
        """Gets ready for the next check of the exercise followed (None: none to come), e.g. starts its worker."""
        self.rows = course_states(workspace, course)
        self.exercise = start or next_exercise(self.rows)
        self.result: CheckResult | None = None
        self.error: TutorError | None = None
        self.hints: list[str] = []
        self.listing = False
        self.typed = ""
        self.note = ""
        self.watcher = PollingWatcher(self.watched_files())

    # -- what is watched ---------------------------------------------------------------------------------
    def watched_files(self) -> list[Path]:
        if self.exercise is None:
            return []
        if self.exercise.is_code:
            return [self.workspace.exercise_file(self.exercise)]
        # A numeric question is answered with `tutor answer` in another terminal: follow its records.
        return [self.workspace.answers_path(), self.workspace.progress().path]

    def file_changed(self) -> bool:
        return self.watcher.changed()

    # -- checking -----------------------------------------------------------------------------------------
    def needs_check(self) -> bool:
        return self.exercise is not None and self.exercise.is_code

    def check(self) -> None:
        """Check the followed exercise now (code) or re-read its recorded state (numeric question)."""
        self.error = None
        self.note = ""
        if self.exercise is not None and self.exercise.is_code:
            try:
                self.result = self._check(self.exercise)
            except TutorError as error:
                self.result, self.error = None, error
            if self.result is not None and self.result.passed:
                self.hints = []  # solved: the hints have done their job
        self.rows = course_states(self.workspace, self.course)

    def prepare_next(self) -> None:
        """Get ready for the next check while the student edits (call it once the verdict is shown)."""
        if self._prepare is None:
            return
        with contextlib.suppress(TutorError):  # e.g. the workspace moved: the check itself will say so
            self._prepare(self.exercise if self.needs_check() else None)

    def parts(self) -> tuple[PartGrade, ...]:
        if self.exercise is None or self.exercise.is_code:
            return ()
        from tutor.questions import recorded_parts

        try:
            return recorded_parts(self.workspace, self.exercise)
        except TutorError:
            return ()

    # -- keys ---------------------------------------------------------------------------------------------
    def press(self, key: str) -> Step:
        if self.listing:
            return self._press_in_list(key)
        action = KEYS.get(key.lower())
        if action == "quit":
            return Step.QUIT
        if action == "rerun":
            return Step.CHECK if self.needs_check() else self._refresh()
        if action == "hint":
            return self._hint()
        if action == "list":
            self.listing, self.typed, self.note = True, "", ""
            return Step.REDRAW
        if action == "next":
            return self._move(self.following())
        return Step.NOTHING

    def _refresh(self) -> Step:
        self.check()
        return Step.REDRAW

    def _hint(self) -> Step:
        if self.exercise is None:
            return Step.NOTHING
        self.hints = hint_levels(self.workspace, self.exercise, show_all=False)
        if not self.hints:
            self.note = f"{self.exercise.id} has no hints."
        return Step.REDRAW

    def _press_in_list(self, key: str) -> Step:
        if key.isdigit():
            self.typed += key
            return Step.REDRAW
        if key in BACKSPACE:
            self.typed = self.typed[:-1]
            return Step.REDRAW
        if key in ENTER and self.typed:
            number = int(self.typed)
            self.typed = ""
            if 1 <= number <= len(self.course.exercises):
                self.listing = False
                return self._move(self.course.exercises[number - 1])
            self.note = (
                f"There is no exercise {number}: type a number from 1 to {len(self.course.exercises)}."
            )
            return Step.REDRAW
        if key == ESCAPE or key.lower() in ("l", "q"):
            self.listing, self.typed, self.note = False, "", ""
            return Step.REDRAW
        return Step.NOTHING

    def following(self) -> Exercise | None:
        """The next exercise after this one (in course order, wrapping round) that is not done."""
        self.rows = course_states(self.workspace, self.course)
        undone = [row.exercise for row in self.rows if row.state is not ExerciseState.DONE]
        if not undone:
            return None
        if self.exercise is None:
            return undone[0]
        later = [e for e in undone if e.order > self.exercise.order]
        return (later or undone)[0]

    def _move(self, exercise: Exercise | None) -> Step:
        self.exercise = exercise
        self.result, self.error, self.hints, self.note = None, None, [], ""
        self.watcher.watch(self.watched_files())
        if exercise is None:
            self.rows = course_states(self.workspace, self.course)
            return Step.REDRAW
        return Step.CHECK if self.needs_check() else self._refresh()

    # -- what to show -------------------------------------------------------------------------------------
    def view(self) -> WatchView:
        state = next(
            (row.state for row in self.rows if self.exercise and row.exercise.id == self.exercise.id),
            ExerciseState.NOT_STARTED,
        )
        if self.exercise is None:
            file = ""
        elif self.exercise.is_code:
            file = self.workspace.display(self.workspace.exercise_file(self.exercise))
        else:
            file = self.workspace.display(self.workspace.answers_path())
        return WatchView(
            course=self.course,
            rows=self.rows,
            exercise=self.exercise,
            file=file,
            result=self.result,
            error=self.error,
            hints=list(self.hints),
            listing=self.listing,
            typed=self.typed,
            note=self.note,
            state=state,
            parts=self.parts(),
        )

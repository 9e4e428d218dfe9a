"""Numeric questions: pen-and-paper calculations with a per-student variant, answered with `tutor answer`.

A numeric question is a catalog row with ``kind = "numeric"`` plus two files of its own:

- ``tutor/questions/<id>.py`` defines ``QUESTION = Question(...)`` (see :class:`Question`):
  its parts, its textbook parameters, how to draw a student's parameters, how to *measure*
  the true answers with PyTorch, and the classic wrong answers with a hint for each;
- ``tutor/course/statements/<id>.md`` is the statement, with ``{name}`` placeholders filled
  from the variant's parameters (write literal braces as ``{{`` and ``}}``).

Adding a question never touches the CLI or this package.

The API, for the commands and for ``tutor grade``:

- :func:`load_question` (exercise) -> Question. Imports only the question's module: no torch.
- :func:`variant` (question, student_id) -> Variant: the parameters this student sees. The seed is
  a hash of the course name, the question id and the student id, so a student always gets the same
  variant and two students usually get different ones. Without a student id: the textbook variant.
- :func:`question_text` (exercise, workspace) -> str: the statement with this student's numbers,
  and each part with its state. Fast (no torch), used by ``tutor show`` and ``tutor next``.
- :func:`check_answer` (workspace, exercise, part, text) -> AnswerResult: parses the text strictly
  (:func:`parse_integer`), measures the truth with torch (imported here, lazily), records the answer
  in the workspace's ``answers.toml`` and the verdict in ``.tutor/progress.json``.
- :func:`answer_states` (workspace, exercises) -> {id: ExerciseState}: for ``tutor list`` and
  ``tutor next``, from the recorded verdicts (no torch). An ``answers.toml`` edited by hand after a
  verdict shows as "changed since it passed" until the question is answered again.
- :func:`grade_answers` (workspace, course) -> list[QuestionGrade]: recomputes every verdict from
  ``answers.toml`` and the student id, with torch, and gives points per part (partial credit).

The true answer is never a stored number: ``Question.measure`` builds the layers in PyTorch
(on the ``meta`` device, so nothing is allocated) and reads their output shapes and parameter
counts. A part may accept several values (e.g. two filter sizes that give the same output).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tutor.catalog import Course, Exercise
from tutor.errors import CatalogError, TutorError, UsageError
from tutor.workspace import ExerciseState, Workspace, atomic_write

if TYPE_CHECKING:
    from collections.abc import Iterable

ANSWERS_HEADER = (
    "# Your answers to the numeric questions, written by `tutor answer`. Commit this file.\n"
    "# Each [section] is a question id; each key is a part and your last answer to it.\n"
)
NOT_A_NUMBER = (
    "{text!r} is not a whole number. Answer {question} part {part} with digits only, "
    "e.g. `tutor answer {question} 61706` (61,706 and 61 706 are fine too)."
)
SCIENTIFIC = (
    "{text!r} is written in scientific notation, which hides the exact count. Write every digit "
    "of the whole number, e.g. `tutor answer {question} 60000` for 6e4."
)
DECIMAL = (
    "{text!r} has a decimal point; {question} part {part} asks for a whole number (a size or a "
    "count). Write it with digits only; group thousands with commas or spaces if you like: 61,706."
)
BAD_GROUPING = (
    "{text!r} groups its digits oddly. Group thousands in threes (61,706 or 61 706) or write "
    "the digits alone (61706)."
)
UNKNOWN_PART = "{question} has no part {part!r}. Its parts are: {parts}."
NOT_NUMERIC = "{question} is a code exercise, not a numeric question."
NOT_NUMERIC_HINT = "Edit exercises/{question}.py and run `tutor check {question}`."
ALREADY_DONE = (
    "Every part of {question} is already answered correctly. Give --part NAME to answer one part again."
)
NO_MATCHING_HINT = (
    "Not this one. Work through the formula once more, one step at a time; `tutor hint {question}` helps."
)


class InvalidAnswer(TutorError):
    """The answer text is not a whole number written plainly (exit code 2, nothing recorded)."""

    exit_code = 2


# -- what a question module defines -------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    name: str
    """Short key, used in answers.toml and with `tutor answer ID VALUE --part NAME`."""
    prompt: str
    """What to compute, with {placeholders} for the variant's parameters."""


@dataclass(frozen=True)
class Mistake:
    """A classic wrong answer: if the student's value for `part` is in `values`, show `hint`."""

    part: str
    values: tuple[int, ...]
    hint: str


@dataclass(frozen=True)
class Question:
    """A numeric question. Only `measure` and `mistakes` may import torch (inside the function)."""

    parts: tuple[Part, ...]
    """Asked in this order; `tutor answer` fills the first part not yet answered correctly."""
    textbook: Mapping[str, Any]
    """The parameters when the workspace has no student id (the numbers in the textbook)."""
    draw: Callable[[random.Random], dict[str, Any]]
    """A student's parameters from a seeded random generator. Must be valid for `measure`."""
    measure: Callable[[Mapping[str, Any]], dict[str, tuple[int, ...]]]
    """The accepted values of every part, measured on PyTorch layers built from the parameters."""
    mistakes: Callable[[Mapping[str, Any]], list[Mistake]] = lambda params: []
    """Classic wrong answers for these parameters, each with a targeted hint."""
    derived: Callable[[Mapping[str, Any]], dict[str, Any]] = lambda params: {}
    """Extra values for the statement's placeholders (e.g. a formatted shape), computed without torch."""

    def part(self, name: str, question_id: str) -> Part:
        for part in self.parts:
            if part.name == name:
                return part
        raise UsageError(
            UNKNOWN_PART.format(question=question_id, part=name, parts=", ".join(p.name for p in self.parts)),
            f"Run `tutor show {question_id}` to read the parts.",
        )


@dataclass(frozen=True)
class Variant:
    params: dict[str, Any]
    textbook: bool
    """True when the workspace has no student id."""

    def placeholders(self, question: Question) -> dict[str, Any]:
        return _display_values(self.params | question.derived(self.params))


# -- results ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerResult:
    question: str
    part: str
    prompt: str
    value: int
    correct: bool
    hint: str | None
    """For a wrong answer: what the mistake most likely was, and the next step."""
    next_part: Part | None
    """The next part still to answer, already filled in with the variant's parameters."""
    done: bool
    """Every part is answered correctly."""
    answers_file: str


@dataclass(frozen=True)
class PartGrade:
    name: str
    given: int | None
    correct: bool


@dataclass(frozen=True)
class QuestionGrade:
    question: str
    status: str
    """'passed' (every part right), 'failed' (some part answered wrongly or missing), 'not_answered'."""
    points: float
    max_points: int
    parts: tuple[PartGrade, ...]
    student: str | None
    message: str


# -- loading and variants --------------------------------------------------------------------------------


def question_module(exercise: Exercise) -> str:
    return f"tutor.questions.{exercise.id}"


def load_question(exercise: Exercise) -> Question:
    if exercise.is_code:
        raise UsageError(
            NOT_NUMERIC.format(question=exercise.id), NOT_NUMERIC_HINT.format(question=exercise.id)
        )
    try:
        module = importlib.import_module(question_module(exercise))
    except ModuleNotFoundError as error:
        raise CatalogError(
            f"Numeric question {exercise.id} has no module {question_module(exercise)} ({error}).",
            f"Add tutor/questions/{exercise.id}.py defining QUESTION = Question(...).",
        ) from None
    question = getattr(module, "QUESTION", None)
    if not isinstance(question, Question):
        raise CatalogError(f"tutor/questions/{exercise.id}.py must define QUESTION = Question(...).")
    return question


def variant_seed(course_name: str, question_id: str, student_id: str) -> int:
    digest = hashlib.sha256(f"{course_name}\x00{question_id}\x00{student_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def variant(
    question: Question, student_id: str | None, question_id: str = "", course_name: str = "cnn-tutor"
) -> Variant:
    """The parameters a student sees: textbook ones without a student id, else drawn from the seed."""
    if not student_id:
        return Variant(dict(question.textbook), textbook=True)
    rng = random.Random(variant_seed(course_name, question_id, student_id))
    return Variant(question.draw(rng), textbook=False)


def _variant_for(workspace: Workspace | None, exercise: Exercise, question: Question) -> Variant:
    course_name = str(
        (workspace.settings.get("workspace", {}) if workspace else {}).get("course", "cnn-tutor")
    )
    return variant(question, workspace.student if workspace else None, exercise.id, course_name)


def _display_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Big integers with thousands separators in statements: 14455392 reads as 14,455,392."""
    return {
        k: (f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10_000 else v)
        for k, v in values.items()
    }


def fill(template: str, values: Mapping[str, Any], where: str) -> str:
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError) as error:
        raise CatalogError(
            f"{where}: the placeholder {error} has no value.", "Fix the placeholder or add the parameter."
        ) from None


# -- parsing ---------------------------------------------------------------------------------------------

_PLAIN = re.compile(r"[+-]?\d+")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:(?P<sep>[, _])\d{3})(?:(?P=sep)\d{3})*")


def parse_integer(text: str, question: str = "ID", part: str = "") -> int:
    """A whole number written plainly: '61706', '61,706', '61 706', '61_706'. Never '6e4' or '6.1'."""
    cleaned = text.strip()
    values = {"text": text, "question": question, "part": part or "?"}
    if _PLAIN.fullmatch(cleaned) or _GROUPED.fullmatch(cleaned):
        return int(re.sub(r"[, _]", "", cleaned))
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+", cleaned):
        raise InvalidAnswer(SCIENTIFIC.format(**values))
    if re.fullmatch(r"[+-]?\d[\d, _]*\.\d*", cleaned):
        raise InvalidAnswer(DECIMAL.format(**values))
    if re.fullmatch(r"[+-]?\d[\d, _]*", cleaned):
        raise InvalidAnswer(BAD_GROUPING.format(**values))
    raise InvalidAnswer(NOT_A_NUMBER.format(**values))


# -- the workspace's answers.toml -----------------------------------------------------------------------


def read_answers(workspace: Workspace) -> dict[str, dict[str, Any]]:
    import tomllib

    from tutor.checking.submission import UnsafeFile, read_regular_file

    path = workspace.answers_path()
    try:
        # Never follows a link out of the workspace, never blocks on a FIFO or device, capped in size.
        data = tomllib.loads(read_regular_file(path, workspace.root).decode("utf-8"))
    except FileNotFoundError:
        return {}
    except UnsafeFile as error:
        raise TutorError(
            f"{workspace.display(path)} is not read: {error.reason}.",
            "Keep your answers in a plain answers.toml file at the workspace root; "
            "`tutor answer ID VALUE` writes it.",
        ) from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise TutorError(
            f"{workspace.display(path)} cannot be read: {error}.",
            "Fix the TOML syntax (each answer is a line `part = 123` under `[question_id]`), or delete the file to start again.",
        ) from None
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def _write_answers(workspace: Workspace, answers: Mapping[str, Mapping[str, Any]]) -> None:
    lines = [ANSWERS_HEADER]
    for question_id in sorted(answers):
        lines.append(f"\n[{question_id}]\n")
        for key, value in answers[question_id].items():
            lines.append(f"{key} = {json.dumps(value)}\n")
    atomic_write(workspace.answers_path(), "".join(lines))


def _answers_digest(section: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(dict(section), sort_keys=True).encode()).hexdigest()


def _given(section: Mapping[str, Any], part: str) -> int | None:
    value = section.get(part)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# -- checking --------------------------------------------------------------------------------------------


def _verdicts(question: Question, params: Mapping[str, Any], section: Mapping[str, Any]) -> dict[str, bool]:
    truth = question.measure(params)
    return {
        p.name: _given(section, p.name) is not None and _given(section, p.name) in truth[p.name]
        for p in question.parts
    }


def _hint_for(
    question: Question, exercise: Exercise, params: Mapping[str, Any], part: str, value: int
) -> str:
    for mistake in question.mistakes(params):
        if mistake.part == part and value in mistake.values:
            return mistake.hint
    return NO_MATCHING_HINT.format(question=exercise.id)


def check_answer(workspace: Workspace, exercise: Exercise, part: str | None, text: str) -> AnswerResult:
    """Check one answer, record it in answers.toml and the verdict in the progress file."""
    question = load_question(exercise)
    chosen = question.part(part, exercise.id) if part else None
    answers = read_answers(workspace)
    section = dict(answers.get(exercise.id, {}))
    current = _variant_for(workspace, exercise, question)
    params = current.params
    before = _verdicts(question, params, section)
    if chosen is None:
        chosen = next((p for p in question.parts if not before[p.name]), None)
        if chosen is None:
            raise UsageError(
                ALREADY_DONE.format(question=exercise.id),
                f"Run `tutor show {exercise.id}` to see your answers.",
            )
    value = parse_integer(text, exercise.id, chosen.name)
    section[chosen.name] = value
    answers[exercise.id] = section
    _write_answers(workspace, answers)
    verdicts = _verdicts(question, params, section)
    done = all(verdicts.values())
    workspace.progress().update(
        exercise.id,
        {
            "status": "passed" if done else "failed",
            "sha256": _answers_digest(section),
            "parts": verdicts,
            "kind": "numeric",
        },
    )
    correct = verdicts[chosen.name]
    upcoming = next((p for p in question.parts if not verdicts[p.name]), None)
    values = current.placeholders(question)
    where = f"tutor/questions/{exercise.id}.py"
    return AnswerResult(
        question=exercise.id,
        part=chosen.name,
        prompt=fill(chosen.prompt, values, where),
        value=value,
        correct=correct,
        hint=None if correct else _hint_for(question, exercise, params, chosen.name, value),
        next_part=Part(upcoming.name, fill(upcoming.prompt, values, where)) if upcoming else None,
        done=done,
        answers_file=workspace.display(workspace.answers_path()),
    )


# -- fast views (no torch) ------------------------------------------------------------------------------


def answer_states(workspace: Workspace, exercises: Iterable[Exercise]) -> dict[str, ExerciseState]:
    """Each numeric question's state from the recorded verdicts, without measuring anything."""
    records = workspace.progress().read()
    try:
        answers = read_answers(workspace)
    except TutorError:
        answers = {}
    states: dict[str, ExerciseState] = {}
    for exercise in exercises:
        record = records.get(exercise.id)
        section = answers.get(exercise.id, {})
        if not isinstance(record, dict):
            states[exercise.id] = ExerciseState.NOT_STARTED
        elif record.get("sha256") != _answers_digest(section):
            states[exercise.id] = (
                ExerciseState.CHANGED if record.get("status") == "passed" else ExerciseState.FAILING
            )
        else:
            states[exercise.id] = (
                ExerciseState.DONE if record.get("status") == "passed" else ExerciseState.FAILING
            )
    return states


def recorded_parts(workspace: Workspace, exercise: Exercise) -> tuple[PartGrade, ...]:
    """Each part's answer and its recorded verdict (from `tutor answer`), without measuring anything.

    A part counts as right only when the verdict was recorded for the answers as they are now.
    """
    question = load_question(exercise)
    record = workspace.progress().read().get(exercise.id) or {}
    try:
        section = read_answers(workspace).get(exercise.id, {})
    except TutorError:
        section = {}
    recorded = (
        record.get("parts", {})
        if isinstance(record, dict) and record.get("sha256") == _answers_digest(section)
        else {}
    )
    if not isinstance(recorded, dict):
        recorded = {}
    return tuple(
        PartGrade(part.name, _given(section, part.name), recorded.get(part.name) is True)
        for part in question.parts
    )


def question_text(exercise: Exercise, workspace: Workspace | None) -> str:
    """The statement in Markdown with this student's parameters, then each part with its state."""
    question = load_question(exercise)
    current = _variant_for(workspace, exercise, question)
    values = current.placeholders(question)
    path = exercise.statement_path()
    template = path.read_text(encoding="utf-8") if path.is_file() else f"# {exercise.title}\n"
    text = fill(template, values, str(path))
    grades = recorded_parts(workspace, exercise) if workspace is not None else ()
    given_by_part = {grade.name: grade for grade in grades}
    lines = ["", "## Answer each part in turn", ""]
    for number, part in enumerate(question.parts, start=1):
        grade = given_by_part.get(part.name)
        state = ""
        if grade is not None and grade.given is not None:
            state = f" — your answer {grade.given:,}: " + ("✓ right" if grade.correct else "✗ not yet")
        lines.append(
            f"{number}. **{part.name}**: {fill(part.prompt, values, f'tutor/questions/{exercise.id}.py')}{state}"
        )
    lines.append("")
    if current.textbook:
        lines.append(
            "*These are the textbook numbers: your workspace has no student id (`tutor init DIR --student ID`).*"
        )
    else:
        lines.append("*These numbers are your own variant, drawn from your student id.*")
    return text.rstrip() + "\n" + "\n".join(lines) + "\n"


# -- grading ---------------------------------------------------------------------------------------------


def grade_answers(workspace: Workspace, course: Course) -> list[QuestionGrade]:
    """Recompute every numeric question's verdict from answers.toml (never from the cached verdicts)."""
    answers = read_answers(workspace)
    grades = []
    for exercise in course.exercises:
        if exercise.is_code:
            continue
        question = load_question(exercise)
        params = _variant_for(workspace, exercise, question).params
        section = answers.get(exercise.id, {})
        answered = any(_given(section, part.name) is not None for part in question.parts)
        # Measuring builds the layers in torch (seconds for the first one): not for nothing.
        truth = question.measure(params) if answered else {}
        parts = []
        for part in question.parts:
            given = _given(section, part.name)
            parts.append(PartGrade(part.name, given, given is not None and given in truth[part.name]))
        right = sum(p.correct for p in parts)
        if not any(p.given is not None for p in parts):
            status, message = (
                "not_answered",
                f"{exercise.id}: not answered (tutor answer {exercise.id} VALUE).",
            )
        elif right == len(parts):
            status, message = "passed", f"{exercise.id}: every part is right."
        else:
            wrong = ", ".join(p.name for p in parts if not p.correct)
            status, message = (
                "failed",
                f"{exercise.id}: {right} of {len(parts)} parts right; not yet right: {wrong}.",
            )
        grades.append(
            QuestionGrade(
                question=exercise.id,
                status=status,
                points=round(exercise.points * right / len(parts), 2),
                max_points=exercise.points,
                parts=tuple(parts),
                student=workspace.student,
                message=message,
            )
        )
    return grades


__all__ = [
    "AnswerResult",
    "InvalidAnswer",
    "Mistake",
    "Part",
    "PartGrade",
    "Question",
    "QuestionGrade",
    "Variant",
    "answer_states",
    "check_answer",
    "grade_answers",
    "load_question",
    "parse_integer",
    "question_text",
    "recorded_parts",
    "variant",
]

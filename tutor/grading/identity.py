"""Who a submission is graded as, when the grading platform knows better than tutor.toml.

On Gradescope the student's identity comes from /autograder/submission_metadata.json (written by
Gradescope, outside the submission): its users[] each carry a `sid` (the student id set in the
course roster) and an `email`. A submitted tutor.toml can claim any student id, so it is never
used there. The id picks the numeric questions' variants and is the report's `student`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tutor.errors import UsageError

FROM_METADATA = (
    "Graded as {student} (the id Gradescope gives for this submission): the numeric questions use "
    "that student's numbers."
)
IGNORED_CLAIM = "tutor.toml in the submission says student {claimed!r}; that is not used for grading."
NO_ID = (
    "Gradescope gave no student id or email for this submission, so the numeric questions were "
    "graded with the textbook numbers."
)
NO_METADATA = (
    "{path} is missing, so this submission was graded without a student id: the numeric questions "
    "used the textbook numbers."
)
BAD_METADATA = "{path} is not Gradescope's submission metadata: {why}."
BAD_METADATA_HINT = "It is written by Gradescope; check the autograder's run_autograder script."


@dataclass(frozen=True)
class Identity:
    student: str | None
    """The id to grade as (None: no student id, the textbook numbers)."""
    notes: tuple[str, ...]
    """What the student should be told about it."""


def _user_id(user: object) -> str | None:
    if not isinstance(user, dict):
        return None
    for key in ("sid", "email"):
        value = user.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return None


def from_gradescope_metadata(path: Path, claimed: str | None = None) -> Identity:
    """The identity in Gradescope's submission_metadata.json at `path`: users[].sid, else their
    email; a group submission is graded as its ids sorted and joined by '+'. `claimed`: the
    student id the submitted tutor.toml gives, only to say that it was not used."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Identity(None, (NO_METADATA.format(path=path),))
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise UsageError(BAD_METADATA.format(path=path, why=error), BAD_METADATA_HINT) from None
    users = data.get("users") if isinstance(data, dict) else None
    if not isinstance(users, list):
        raise UsageError(BAD_METADATA.format(path=path, why="it has no users list"), BAD_METADATA_HINT)
    ids = sorted({i for i in (_user_id(user) for user in users) if i})
    student = "+".join(ids) or None
    notes = [FROM_METADATA.format(student=student) if student else NO_ID]
    if claimed and claimed != student:
        notes.append(IGNORED_CLAIM.format(claimed=claimed))
    return Identity(student, tuple(notes))

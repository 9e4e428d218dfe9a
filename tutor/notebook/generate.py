"""`tutor init DIR --notebooks`: one notebook per session, generated from the catalog.

Per exercise: its statement as Markdown, then (code exercises) the stub's code in a cell and a
`%tutor check ID` cell, or (numeric questions) a `%tutor show ID` cell. A new catalog row appears
here by itself: nothing in this module names an exercise.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import Any

from tutor.catalog import Course, Exercise
from tutor.errors import TutorError

NEEDS_NBFORMAT = "Writing notebooks needs nbformat, which cnn-tutor installs with its [notebook] extra."
NEEDS_NBFORMAT_HINT = 'pip install "cnn-tutor[notebook]" (or nbformat), then run the command again.'

INTRODUCTION = """\
# Session {number}: {title}

Work through the exercises in order. Write each function in the cell under its statement, run
that cell, then run the `%tutor check` cell below it: the tutor checks the function **as your
kernel has it now** against PyTorch, in a sandbox, and shows the smallest input where it is wrong.
Only the cells your function needs (its imports, helpers and constants) are sent to the checker.

`%tutor next` shows the next exercise, `%tutor hint ID` a hint, `%tutor show ID` a lesson.
`tutor grade` grades this notebook from the saved file: save it before you commit.
"""
SETUP_CELL = "%load_ext tutor"
QUESTION = (
    "## {title}\n\nA numeric question with your own numbers: run the cell below to read it, then "
    "answer with `tutor answer {id} VALUE` in a terminal in this workspace."
)
SIBLING_NOTE = (
    "# This exercise may use your {name} from exercise {owner}: define {name} in a cell of this\n"
    "# notebook (copy it from the notebook of session {session}); the check tests it first."
)


TRY_IT = "# Try it (optional): the stub's own demo. `%tutor check {id}` does not need this cell.\n"


def _is_main_block(node: ast.stmt) -> bool:
    """`if __name__ == "__main__":`, which a kernel would run as soon as the cell runs."""
    test = node.test if isinstance(node, ast.If) else None
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def _stub_code(exercise: Exercise, course: Course) -> tuple[str, str | None]:
    """The stub's code cell, and the body of its `if __name__ == "__main__":` block as a cell of
    its own (None without one). The module docstring is left out, and imports of other exercises'
    files (`from conv2d import conv2d`) become a note: in a notebook they are defined in a cell."""
    source = exercise.stub_path().read_text(encoding="utf-8")
    tree = ast.parse(source)
    try_it = None
    others = {e.id: e for e in course.code_exercises() if e.id != exercise.id}
    drop: dict[int, str] = {}
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        for line in range(body[0].lineno, (body[0].end_lineno or body[0].lineno) + 1):
            drop[line] = ""
    for node in body:
        if isinstance(node, ast.ImportFrom) and node.module in others and node.level == 0:
            owner = others[node.module]
            names = ", ".join(alias.name for alias in node.names)
            note = SIBLING_NOTE.format(name=names, owner=owner.id, session=owner.session)
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                drop[line] = note if line == node.lineno else ""
        if _is_main_block(node):
            assert isinstance(node, ast.If)
            body = ast.get_source_segment(source, node, padded=True) or ""
            try_it = TRY_IT.format(id=exercise.id) + textwrap.dedent("\n".join(body.splitlines()[1:]))
            drop |= dict.fromkeys(range(node.lineno, (node.end_lineno or node.lineno) + 1), "")
    lines = [drop.get(number, text) for number, text in enumerate(source.splitlines(), start=1)]
    kept = [text for number, text in enumerate(lines, start=1) if number not in drop or text]
    return "\n".join(kept).strip("\n") + "\n", try_it


def _statement(exercise: Exercise) -> str:
    path = exercise.statement_path()
    text = path.read_text(encoding="utf-8") if path.is_file() else f"# {exercise.title}\n"
    return text.strip() + f"\n\n*{exercise.id} · {exercise.points} points · {exercise.reference}*"


def session_notebook(course: Course, number: int) -> Any:
    """The notebook of one session (an nbformat NotebookNode)."""
    try:
        from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    except ImportError:
        raise TutorError(NEEDS_NBFORMAT, NEEDS_NBFORMAT_HINT) from None
    session = course.session(number)
    cells = [
        new_markdown_cell(INTRODUCTION.format(number=number, title=session.title)),
        new_code_cell(SETUP_CELL),
    ]
    for exercise in (e for e in course.exercises if e.session == number):
        if exercise.is_code:
            cells.append(new_markdown_cell(_statement(exercise)))
            stub, try_it = _stub_code(exercise, course)
            cells.append(new_code_cell(stub))
            cells.append(new_code_cell(f"%tutor check {exercise.id}"))
            if try_it:
                cells.append(new_code_cell(try_it))
        else:  # its statement has the student's own numbers, which `%tutor show` fills in
            cells.append(new_markdown_cell(QUESTION.format(title=exercise.title, id=exercise.id)))
            cells.append(new_code_cell(f"%tutor show {exercise.id}"))
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def write_notebooks(root: Path, course: Course) -> list[str]:
    """Write notebooks/sessionN.ipynb for every session that has exercises; an existing notebook
    is kept (it is the student's work). Returns the paths written, relative to `root`."""
    import nbformat

    from tutor.workspace import atomic_write

    written = []
    for session in course.sessions:
        exercises = [e for e in course.exercises if e.session == session.number]
        if not exercises:
            continue
        relative = exercises[0].relative_notebook()
        target = root / relative
        if target.exists():
            continue
        atomic_write(target, nbformat.writes(session_notebook(course, session.number)) + "\n", mode=0o644)
        written.append(relative)
    return written

"""A notebook file as the modules a check runs: read with nbformat, its code cells' source only.

The file is never executed here: outputs, execution counts and widgets are ignored, and a
notebook that has never run a cell is checked like one that has. The bytes come from
tutor.checking.submission.read_regular_file (a regular file inside the student's folder, under
NOTEBOOK_MAX_BYTES), so a notebook is refused for the same reasons as a .py file.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from tutor.notebook.extract import Module, notebook_modules

if TYPE_CHECKING:
    from tutor.catalog import Exercise

NOTEBOOK_SUFFIX = ".ipynb"
NOTEBOOK_MAX_BYTES = 16 * 1024 * 1024
"""Largest notebook read (16 MiB): its outputs (plots) count, and they are far larger than code."""

NOT_A_NOTEBOOK = "it is not a Jupyter notebook that nbformat can read ({error})"


class NotebookUnreadable(ValueError):
    """The bytes are not a notebook. Its text completes "… is not checked: "."""


def is_notebook(name: str) -> bool:
    return str(name).endswith(NOTEBOOK_SUFFIX)


def code_cells(data: bytes) -> list[str]:
    """The source of every code cell, in the notebook's order (raw and markdown cells are not code)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotebookUnreadable(NOT_A_NOTEBOOK.format(error=f"not UTF-8 at byte {error.start}")) from None
    try:
        import nbformat
    except ImportError:  # the grader without the [notebook] extra: the v4 JSON is simple enough
        return _code_cells_from_json(text)
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as error:  # noqa: BLE001 - nbformat raises many kinds for a broken file
        raise NotebookUnreadable(NOT_A_NOTEBOOK.format(error=_short(error))) from None
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def _code_cells_from_json(text: str) -> list[str]:
    try:
        data = json.loads(text)
        cells = data["cells"]
        sources = [cell.get("source", "") for cell in cells if cell.get("cell_type") == "code"]
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise NotebookUnreadable(NOT_A_NOTEBOOK.format(error=_short(error))) from None
    return ["".join(s) if isinstance(s, list) else str(s) for s in sources]


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return (text[0][:120] if text else "") or type(error).__name__


def other_exercise_functions(exercise: Exercise) -> dict[str, str]:
    """Function name → the exercise it belongs to: the first in course order that lists it
    (residual_block lists conv2d too, to check it first; conv2d belongs to conv2d). Functions that
    belong to `exercise` itself are left out."""
    from tutor.catalog import course

    owners: dict[str, str] = {}
    for other in course().code_exercises():
        for function in other.functions:
            owners.setdefault(function, other.id)
    return {function: owner for function, owner in owners.items() if owner != exercise.id}


def notebook_files(data: bytes, exercise: Exercise, origin: str) -> dict[str, Module]:
    """File name → the modules a check of `exercise` runs from the notebook `data`: `<id>.py`,
    and a sibling module per other exercise whose function it uses (extract.py)."""
    return notebook_modules(
        code_cells(data), exercise.id, exercise.functions, other_exercise_functions(exercise), origin
    )

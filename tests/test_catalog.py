"""The catalog is validated when loaded, with errors that name the file, the row and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.catalog import course, load_course
from tutor.errors import CatalogError, UnknownExercise

GOOD = """
format_version = 1
course = "t"
version = "1"
[[sessions]]
number = 1
title = "S"
[[topics]]
id = "conv"
session = 1
title = "Conv"
[[exercises]]
id = "corr2d"
title = "x"
topic = "conv"
kind = "code"
points = 1
functions = ["corr2d"]
reference = "r"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "course.toml"
    path.write_text(text)
    return path


def test_installed_course_is_consistent() -> None:
    loaded = course()
    assert loaded.exercises[0].id == "corr2d"
    sessions = [e.session for e in loaded.exercises]
    assert sessions == sorted(sessions), "course order is session order"
    assert [e.order for e in loaded.exercises] == list(range(len(loaded.exercises)))
    for topic in loaded.topics:
        assert topic.session in {s.number for s in loaded.sessions}


def test_unknown_field_names_file_row_and_fix(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('reference = "r"', 'reference = "r"\npoitns = 3'))
    with pytest.raises(CatalogError) as caught:
        load_course(path)
    assert (
        "poitns" in caught.value.message
        and "corr2d" in caught.value.message
        and str(path) in caught.value.message
    )
    assert "Allowed fields" in caught.value.hint


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (('topic = "conv"\nkind', 'topic = "pool"\nkind'), "not a [[topics]] id"),
        (("format_version = 1", "format_version = 9"), "format_version"),
        (('kind = "code"', 'kind = "essay"'), "kind must be"),
        (('functions = ["corr2d"]', ""), "functions"),
    ],
)
def test_invalid_rows_are_refused(tmp_path: Path, change: tuple[str, str], fragment: str) -> None:
    with pytest.raises(CatalogError) as caught:
        load_course(write(tmp_path, GOOD.replace(*change)))
    assert fragment in caught.value.message


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    row = GOOD[GOOD.index("[[exercises]]") :]
    with pytest.raises(CatalogError, match="more than once"):
        load_course(write(tmp_path, GOOD + row))


def test_unknown_exercise_suggests_close_ids() -> None:
    with pytest.raises(UnknownExercise) as caught:
        course().exercise("conv")
    assert "conv2d" in caught.value.hint

"""`grade-class --similarity`: copydetect finds a renamed copy, not independent solutions, and
never counts the stub (or code most of the class wrote) as shared."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from tests.fake_course import fake_course
from tests.test_grading import HERE, fake_cli, make_workspace  # noqa: F401 - fake_cli: a fixture
from tests.test_grading_class import FAKE_GRADE
from tutor.catalog import course
from tutor.checking.isolation import Isolation
from tutor.grading.classgrade import ClassRow, RowStatus
from tutor.grading.similarity import GradedCode, similar_pairs

pytest.importorskip("copydetect", reason="the instructor extra (copydetect) is not installed")

RENAMES = (("xpad", "padded"), ("window", "patch"), ("h_out", "oh"), ("w_out", "ow"), ("out", "result"))


def renamed(source: str) -> str:
    """The same code with other variable names and without its comments."""
    for old, new in RENAMES:
        source = re.sub(rf"\b{old}\b", new, source)
    return re.sub(r"\s*#.*", "", source)


def conv2d_class() -> tuple[list[GradedCode], str]:
    solution = (ROOT / "solutions" / "conv2d.py").read_text(encoding="utf-8")
    independent = (ROOT / "tests" / "variants" / "conv2d" / "right_stride_tricks_einsum.py").read_text()
    stub = course().exercise("conv2d").stub_path().read_text(encoding="utf-8")
    return [
        GradedCode("ann", "subs/ann", solution),
        GradedCode("ben", "subs/ben", renamed(solution)),
        GradedCode("cy", "subs/cy", independent),
        GradedCode("dee", "subs/dee", stub),  # not started
        GradedCode("eve", "subs/eve", stub),  # not started either: not "identical" to dee
    ], stub


def test_a_renamed_copy_is_flagged_and_independent_code_is_not() -> None:
    submissions, stub = conv2d_class()
    (pair,) = similar_pairs(submissions, stub)
    assert (pair.first.student, pair.second.student) == ("ann", "ben")
    assert pair.similarity > 0.9 and min(pair.shares) > 0.9


def test_the_stub_is_boilerplate() -> None:
    """Two students who kept the stub's long docstring and wrote different bodies are not alike;
    without the stub as boilerplate they would be."""
    stub = course().exercise("conv2d").stub_path().read_text(encoding="utf-8")
    body = "    raise NotImplementedError"
    assert body in stub
    first = stub.replace(body, "    return np.zeros((x.shape[0], w.shape[0], 1, 1))")
    second = stub.replace(body, "    total = x.sum()\n    return total * np.ones((1, 1, 1, 1))")
    both = [GradedCode("a", "a", first), GradedCode("b", "b", second)]
    assert similar_pairs(both, stub) == []
    assert similar_pairs(both, "") != []  # the control: the stub's text is what they share


def test_code_most_of_the_class_wrote_is_boilerplate() -> None:
    """A helper everyone pasted (e.g. from the lecture notes) links nobody to anybody."""
    helper = (
        "def _pad_both_sides_of_height_and_width(x, ph, pw):\n"
        "    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), mode='constant', constant_values=0)\n\n"
    )
    variants = sorted((ROOT / "tests" / "variants" / "conv2d").glob("right_*.py"))
    assert len(variants) >= 5
    submissions = [GradedCode(p.stem, p.stem, helper + p.read_text(encoding="utf-8")) for p in variants]
    flagged = {(p.first.student, p.second.student) for p in similar_pairs(submissions, "", threshold=0.3)}
    alone = {
        (p.first.student, p.second.student)
        for p in similar_pairs(
            [GradedCode(s.student, s.directory, s.code[len(helper) :]) for s in submissions], "", 0.3
        )
    }
    assert flagged == alone


LOOP_TOTAL = '''\
import numpy as np


def total(x: np.ndarray) -> np.ndarray:
    """Fake exercise total."""
    accumulated = np.zeros(x.shape[1:], dtype=x.dtype)
    for row_index in range(x.shape[0]):
        accumulated = accumulated + x[row_index]
    return accumulated
'''
OTHER_TOTAL = '''\
import numpy as np


def total(x: np.ndarray) -> np.ndarray:
    """Fake exercise total."""
    flat = x.reshape(len(x), -1) if x.ndim > 1 else x.reshape(len(x), 1)
    summed = np.einsum("ij->j", flat)
    return summed.reshape(x.shape[1:])
'''


def test_grade_class_writes_the_similarity_json(
    fake_cli,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sources = {
        "ann": LOOP_TOTAL,
        "ben": LOOP_TOTAL.replace("accumulated", "acc").replace("row_index", "i"),
        "cy": OTHER_TOTAL,
    }
    for student, source in sources.items():
        make_workspace(tmp_path / "class" / student, student=student, sources={"total": source})
    monkeypatch.setattr("tutor.grading.classgrade.default_command", lambda: FAKE_GRADE)
    monkeypatch.chdir(tmp_path)
    flags = ["--no-sandbox"] if HERE is Isolation.NONE else []
    done = CliRunner().invoke(
        fake_cli, ["grade-class", "class", "--similarity", "similar.json", *flags], env={"COLUMNS": "200"}
    )
    assert done.exit_code == 0, done.output
    assert "and similar.json" in done.output
    data = json.loads((tmp_path / "similar.json").read_text())
    assert data["schema"] == "cnn-tutor/similarity" and "not a verdict" in data["note"]
    assert data["method"]["library"].startswith("copydetect ")
    total = data["exercises"]["total"]
    assert total["compared"] == 3
    ((pair),) = total["pairs"]
    assert pair["students"] == ["ann", "ben"] and pair["similarity"] > 0.9
    assert data["exercises"]["double"] == {"compared": 0, "pairs": []}  # every stub left out


@pytest.mark.skipif(shutil.which("git") is None, reason="no git here")
def test_with_ref_the_committed_code_is_compared(tmp_path: Path) -> None:
    from tests.test_grading_ref import git
    from tutor.grading.similarity import report

    rows = []
    for student, source in (("ann", LOOP_TOTAL), ("ben", LOOP_TOTAL.replace("accumulated", "acc"))):
        folder = tmp_path / student
        make_workspace(folder, student=student, sources={"total": source})
        git(folder, "init", "-q", "-b", "main")
        git(folder, "add", "-A")
        git(folder, "commit", "-q", "-m", "hw")
        git(folder, "tag", "hw")
        (folder / "exercises" / "total.py").write_text(
            OTHER_TOTAL if student == "ann" else "", encoding="utf-8"
        )
        sha = git(folder, "rev-parse", "hw")
        rows.append(ClassRow(str(folder), student, RowStatus.GRADED, total=0.0, commit=sha))
    on_disk = report(rows, fake_course())["exercises"]["total"]
    at_ref = report(rows, fake_course(), ref="hw")["exercises"]["total"]
    assert on_disk["pairs"] == [] and [p["students"] for p in at_ref["pairs"]] == [["ann", "ben"]]

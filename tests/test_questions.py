"""Numeric questions: per-student variants, answers measured on torch layers, hints, strict parsing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.test_fast_commands import PROBE
from tutor.catalog import course
from tutor.cli import cli
from tutor.questions import (
    InvalidAnswer,
    answer_states,
    check_answer,
    grade_answers,
    load_question,
    parse_integer,
    question_text,
    variant,
)
from tutor.workspace import ExerciseState, init_workspace

QUESTIONS = [e for e in course().exercises if e.kind == "numeric"]
QUESTION_IDS = [e.id for e in QUESTIONS]
STUDENTS = [f"s{n:07d}" for n in range(1_000_000, 1_000_030)]


def _workspace(tmp_path: Path, student: str | None = "s1234567"):  # noqa: ANN202
    workspace, _ = init_workspace(tmp_path / "ws", course(), student)
    return workspace


def _truth(exercise_id: str, student: str | None) -> dict[str, tuple[int, ...]]:
    question = load_question(course().exercise(exercise_id))
    return question.measure(variant(question, student, exercise_id).params)


# -- variants ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", QUESTION_IDS)
def test_variant_is_deterministic_per_student(exercise_id: str) -> None:
    question = load_question(course().exercise(exercise_id))
    for student in STUDENTS[:5]:
        assert variant(question, student, exercise_id) == variant(question, student, exercise_id)


@pytest.mark.parametrize("exercise_id", QUESTION_IDS)
def test_students_usually_get_different_variants(exercise_id: str) -> None:
    question = load_question(course().exercise(exercise_id))
    seen = {repr(sorted(variant(question, s, exercise_id).params.items())) for s in STUDENTS}
    assert len(seen) >= len(STUDENTS) // 2, f"only {len(seen)} distinct variants for {len(STUDENTS)} students"


@pytest.mark.parametrize("exercise_id", QUESTION_IDS)
def test_no_student_id_gives_the_textbook_variant(exercise_id: str) -> None:
    question = load_question(course().exercise(exercise_id))
    plain = variant(question, None, exercise_id)
    assert plain.textbook and plain.params == dict(question.textbook)
    assert not variant(question, "s1", exercise_id).textbook


@pytest.mark.parametrize("exercise_id", QUESTION_IDS)
def test_every_drawn_variant_has_a_measurable_answer(exercise_id: str) -> None:
    for student in STUDENTS[:10]:
        truth = _truth(exercise_id, student)
        question = load_question(course().exercise(exercise_id))
        assert set(truth) == {p.name for p in question.parts}
        assert all(truth[name] for name in truth), f"{student}: a part with no accepted answer: {truth}"


def test_textbook_answers_are_the_published_ones() -> None:
    """Known numbers from the literature, so `measure` is tested against something independent."""
    assert _truth("conv_output_volume", None) == {
        "height": (55,),
        "width": (55,),
        "depth": (96,),
    }  # AlexNet conv1
    assert _truth("pooling_output", None) == {
        "height": (27,),
        "width": (27,),
        "depth": (96,),
        "parameters": (0,),
    }
    assert _truth("why_cnn_params", None) == {"conv": (456,), "fc": (14_455_392,)}  # 3072 × 4704 + 4704
    sizes = _truth("filter_sizes", None)
    assert sizes["a_size"] == (5,) and sizes["a_filters"] == (6,)
    # Stride 2 rounds down so 4 would fit too, but the filters are odd-sized: one answer (issue 13).
    assert sizes["b_size"] == (3,) and sizes["c_size"] == (3,)


@pytest.mark.parametrize("exercise_id", QUESTION_IDS)
def test_statement_shows_the_students_numbers(tmp_path: Path, exercise_id: str) -> None:
    exercise = course().exercise(exercise_id)
    mine = question_text(exercise, _workspace(tmp_path / "a", "s0000001"))
    textbook = question_text(exercise, _workspace(tmp_path / "b", None))
    assert "{" not in mine.replace("{{", "") and "textbook numbers" in textbook and "your own variant" in mine
    others = {question_text(exercise, _workspace(tmp_path / s, s)) for s in STUDENTS[:8]}
    assert len(others) > 1


# -- answering ---------------------------------------------------------------------------------------


def test_right_answers_are_accepted_part_by_part(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    exercise = course().exercise("conv_output_volume")
    truth = _truth("conv_output_volume", workspace.student)
    results = [
        check_answer(workspace, exercise, None, str(truth[part][0])) for part in ("height", "width", "depth")
    ]
    assert [r.part for r in results] == ["height", "width", "depth"], "parts are asked in turn"
    assert all(r.correct for r in results) and results[-1].done and not results[0].done
    assert results[0].next_part is not None and results[0].next_part.name == "width"
    assert answer_states(workspace, [exercise]) == {"conv_output_volume": ExerciseState.DONE}
    assert "height = " in workspace.answers_path().read_text(encoding="utf-8")


def test_wrong_answer_is_rejected_with_a_targeted_hint(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path, None)
    exercise = course().exercise("why_cnn_params")
    result = check_answer(workspace, exercise, "conv", "450")  # 5·5·3·6 without the 6 biases
    assert not result.correct and "biases" in (result.hint or "")
    result = check_answer(workspace, exercise, "fc", "14,450,688")  # 3072 · 4704 without biases
    assert not result.correct and "bias" in (result.hint or "")
    result = check_answer(workspace, exercise, "conv", "75")  # 5·5·3: one filter, no bias
    assert not result.correct and result.hint
    assert answer_states(workspace, [exercise])["why_cnn_params"] is ExerciseState.FAILING


def test_pooling_parameters_hint(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path, None)
    result = check_answer(workspace, course().exercise("pooling_output"), "parameters", "9")
    assert not result.correct and "no parameters" in (result.hint or "")
    assert check_answer(workspace, course().exercise("pooling_output"), "parameters", "0").correct


def test_the_odd_filter_size_is_the_one_answer(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path, None)
    exercise = course().exercise("filter_sizes")
    assert check_answer(workspace, exercise, "c_size", "3").correct
    assert not check_answer(workspace, exercise, "c_size", "4").correct
    assert not check_answer(workspace, exercise, "c_size", "5").correct
    result = check_answer(workspace, exercise, "a_filters", "3")
    assert not result.correct and "depth" in (result.hint or "")


def test_grading_recomputes_from_answers_toml(tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    truth = _truth("pooling_output", workspace.student)
    exercise = course().exercise("pooling_output")
    check_answer(workspace, exercise, "height", str(truth["height"][0]))
    check_answer(workspace, exercise, "width", str(truth["width"][0] + 1))
    grades = {g.question: g for g in grade_answers(workspace, course())}
    assert set(grades) == set(QUESTION_IDS)
    pooling = grades["pooling_output"]
    assert pooling.status == "failed" and pooling.points == pytest.approx(exercise.points / 4)
    assert grades["why_cnn_params"].status == "not_answered" and grades["why_cnn_params"].points == 0
    # Editing answers.toml by hand: the grade follows the file, and `tutor list` says it changed.
    text = workspace.answers_path().read_text(encoding="utf-8")
    workspace.answers_path().write_text(
        text.replace(f"width = {truth['width'][0] + 1}", f"width = {truth['width'][0]}")
    )
    regraded = {g.question: g for g in grade_answers(workspace, course())}["pooling_output"]
    assert regraded.points == pytest.approx(exercise.points / 2)
    assert answer_states(workspace, [exercise])["pooling_output"] is ExerciseState.FAILING


def test_grading_measures_only_the_questions_with_an_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building the layers in torch costs seconds: an unanswered question earns nothing without it."""
    import dataclasses

    import tutor.questions as questions

    workspace = _workspace(tmp_path)
    truth = _truth("pooling_output", workspace.student)
    check_answer(workspace, course().exercise("pooling_output"), "height", str(truth["height"][0]))
    measured: list[str] = []
    load = questions.load_question

    def counting(exercise):  # noqa: ANN001, ANN202
        question = load(exercise)
        return dataclasses.replace(
            question, measure=lambda p: measured.append(exercise.id) or question.measure(p)
        )

    monkeypatch.setattr(questions, "load_question", counting)
    grades = {g.question: g for g in grade_answers(workspace, course())}
    assert measured == ["pooling_output"] and grades["pooling_output"].points > 0
    assert grades["why_cnn_params"].status == "not_answered"


def test_a_different_student_gets_graded_on_their_own_variant(tmp_path: Path) -> None:
    one, other = _workspace(tmp_path / "1", STUDENTS[0]), _workspace(tmp_path / "2", STUDENTS[1])
    exercise = course().exercise("why_cnn_params")
    mine, theirs = _truth(exercise.id, STUDENTS[0]), _truth(exercise.id, STUDENTS[1])
    assert mine != theirs
    assert check_answer(one, exercise, "fc", str(mine["fc"][0])).correct
    assert not check_answer(other, exercise, "fc", str(mine["fc"][0])).correct


# -- parsing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["61706", "61,706", "61 706", "61_706", " 61706 ", "+61706"])
def test_integer_forms_accepted(text: str) -> None:
    assert parse_integer(text) == 61706


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("6e4", "scientific notation"),
        ("6.1706E4", "scientific notation"),
        ("61706.0", "decimal point"),
        ("61.706", "decimal point"),
        ("6,17,06", "groups"),
        ("61706,", "groups"),
        ("sixty", "not a whole number"),
        ("0x10", "not a whole number"),
        ("", "not a whole number"),
    ],
)
def test_integer_forms_refused(text: str, words: str) -> None:
    with pytest.raises(InvalidAnswer) as raised:
        parse_integer(text, "why_cnn_params", "fc")
    assert words in raised.value.message


# -- the command line --------------------------------------------------------------------------------


def test_cli_answer_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = _workspace(tmp_path, None)
    monkeypatch.chdir(workspace.root)
    runner = CliRunner()
    wrong = runner.invoke(cli, ["answer", "why_cnn_params", "450"])
    assert wrong.exit_code == 1 and "biases" in wrong.output
    refused = runner.invoke(cli, ["answer", "why_cnn_params", "6e4"])
    assert refused.exit_code == 2 and "scientific notation" in refused.output
    right = runner.invoke(cli, ["answer", "why_cnn_params", "456"])
    assert right.exit_code == 0 and "Right" in right.output and "fc" in right.output
    spaced = runner.invoke(cli, ["answer", "why_cnn_params", "14", "455", "392"])  # unquoted 14 455 392
    assert spaced.exit_code == 0 and "Every part" in spaced.output
    listed = runner.invoke(cli, ["list", "--json"])
    assert '"status": "done"' in listed.output.split('"why_cnn_params"')[1].split("}")[0]
    code = runner.invoke(cli, ["answer", "conv2d", "3"])
    assert code.exit_code == 2 and "code exercise" in code.output


@pytest.mark.parametrize("exercise_id", ["why_cnn_params", "filter_sizes"])
def test_show_question_does_not_import_torch(tmp_path: Path, exercise_id: str) -> None:
    subprocess.run(
        [sys.executable, "-c", PROBE, "init", "ws", "--student", "s42"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "show", exercise_id],
        cwd=tmp_path / "ws",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("HEAVY=")] == ["HEAVY="]

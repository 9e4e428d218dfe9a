"""Session-3 numeric questions: measured on torch-built models, checked against closed forms written here.

The textbook variant must give the published numbers (ResNet-50's total as torchvision's resnet50);
other students' truths are compared with counts written out independently of the torch models.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.catalog import course
from tutor.questions import check_answer, load_question, question_text, variant
from tutor.questions._architectures import TEXTBOOK_NUMBER
from tutor.workspace import init_workspace

SESSION3_QUESTIONS = ["bottleneck_params", "inception_reduction"]
STUDENTS = [f"s{n:07d}" for n in range(3_000_000, 3_000_040)]


def _question(exercise_id: str):  # noqa: ANN202
    return load_question(course().exercise(exercise_id))


def _params(exercise_id: str, student: str | None) -> dict:
    return variant(_question(exercise_id), student, exercise_id).params


def _truth(exercise_id: str, student: str | None) -> dict[str, tuple[int, ...]]:
    return _question(exercise_id).measure(_params(exercise_id, student))


def _workspace(tmp_path: Path, student: str | None):  # noqa: ANN202
    workspace, _ = init_workspace(tmp_path / (student or "textbook"), course(), student)
    return workspace


def _bottleneck(c_in: int, width: int) -> tuple[int, int]:
    """(parameters of a bottleneck block without its shortcut, parameters of a projection shortcut)."""
    out = 4 * width
    main = c_in * width + 2 * width + 9 * width * width + 2 * width + width * out + 2 * out
    return main, c_in * out + 2 * out


def _bottleneck_resnet(blocks: tuple[int, ...], widths: tuple[int, ...], classes: int) -> tuple[int, int]:
    """(first block of stage 2 with its projection, whole network), counted by hand."""
    total = 7 * 7 * 3 * widths[0] + 2 * widths[0]
    channels, asked = widths[0], 0
    for stage, (count, width) in enumerate(zip(blocks, widths)):
        for index in range(count):
            main, projection = _bottleneck(channels, width)
            block = main + (projection if index == 0 else 0)  # every stage's first block projects
            if stage == 1 and index == 0:
                asked = block
            total += block
            channels = 4 * width
    return asked, total + channels * classes + classes


# -- the catalog and the textbook ------------------------------------------------------------------


def test_questions_sit_in_session_three_after_their_exercise() -> None:
    exercises = {e.id: e for e in course().exercises}
    for exercise_id in SESSION3_QUESTIONS:
        exercise = exercises[exercise_id]
        assert exercise.kind == "numeric" and exercise.session == 3 and exercise.hints
        assert exercise.statement_path().is_file()
    order = course().ids()
    assert (
        order.index("bottleneck_block")
        < order.index("bottleneck_params")
        < order.index("inception_reduction")
    )


def test_textbook_bottleneck_params_is_resnet50() -> None:
    block, total = _bottleneck_resnet((3, 4, 6, 3), (64, 128, 256, 512), 1000)
    assert _truth("bottleneck_params", None) == {"block": (block,), "total": (total,)}


def test_textbook_inception_reduction_is_inception_3a() -> None:
    """Inception (3a) of GoogLeNet: 28×28×192 in, a 5×5 of 32 channels after a reduction to 16."""
    assert _truth("inception_reduction", None) == {
        "without": (28 * 28 * 32 * 25 * 192,),
        "with": (28 * 28 * 16 * 192 + 28 * 28 * 32 * 25 * 16,),
    }


def test_inception_worked_example_as_stated() -> None:
    question = _question("inception_reduction")
    truth = question.measure({"side": 14, "c_in": 64, "reduce": 8, "c_out": 16})
    text = course().exercise("inception_reduction").statement_path().read_text(encoding="utf-8")
    assert f"**{truth['without'][0]:,}**" in text and f"**{truth['with'][0]:,}**" in text


def test_bottleneck_worked_example_as_stated() -> None:
    text = course().exercise("bottleneck_params").statement_path().read_text(encoding="utf-8")
    assert f"**{sum(_bottleneck(32, 8)) - _bottleneck(32, 8)[1]:,}**" in text


# -- variants ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", SESSION3_QUESTIONS)
def test_variants_are_deterministic_and_differ_between_students(exercise_id: str) -> None:
    question = _question(exercise_id)
    for student in STUDENTS[:5]:
        assert variant(question, student, exercise_id) == variant(question, student, exercise_id)
    params = {repr(sorted(_params(exercise_id, s).items())) for s in STUDENTS}
    assert len(params) >= len(STUDENTS) * 3 // 4, f"only {len(params)} variants for {len(STUDENTS)} students"
    answers = {repr(sorted(_truth(exercise_id, s).items())) for s in STUDENTS[:20]}
    assert len(answers) >= 10, "different variants must usually have different answers"
    assert _truth(exercise_id, None) != _truth(exercise_id, STUDENTS[0])


@pytest.mark.parametrize("student", STUDENTS[:12])
def test_bottleneck_variants_match_closed_forms(student: str) -> None:
    q = _params("bottleneck_params", student)
    block, total = _bottleneck_resnet(q["blocks"], q["widths"], q["classes"])
    assert _truth("bottleneck_params", student) == {"block": (block,), "total": (total,)}


@pytest.mark.parametrize("student", STUDENTS[:12])
def test_inception_variants_match_closed_forms(student: str) -> None:
    q = _params("inception_reduction", student)
    positions = q["side"] * q["side"]
    assert _truth("inception_reduction", student) == {
        "without": (positions * q["c_out"] * 25 * q["c_in"],),
        "with": (positions * q["reduce"] * q["c_in"] + positions * q["c_out"] * 25 * q["reduce"],),
    }


# -- answering ------------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", SESSION3_QUESTIONS)
def test_right_answers_are_accepted(tmp_path: Path, exercise_id: str) -> None:
    workspace = _workspace(tmp_path, STUDENTS[3])
    exercise = course().exercise(exercise_id)
    truth = _truth(exercise_id, STUDENTS[3])
    results = [
        check_answer(workspace, exercise, None, f"{truth[p.name][0]:,}") for p in _question(exercise_id).parts
    ]
    assert all(r.correct for r in results) and results[-1].done


# Textbook ResNet-50; the asked block is 256 → 128 → 128 → 512 at stride 2 (379,392 parameters).
@pytest.mark.parametrize(
    ("exercise_id", "part", "answer", "words"),
    [
        ("bottleneck_params", "block", "181,248", "forget the expansion"),  # 64 → 128 → 128 → 128
        ("bottleneck_params", "block", "256,512", "previous stage's OUTPUT"),  # input 64, not 256
        ("bottleneck_params", "block", "376,832", "batch normalisation"),  # − 2,560 of BN
        ("bottleneck_params", "block", "381,952", "running mean"),
        ("bottleneck_params", "block", "247,296", "projection shortcut"),  # − 131,072 − 1,024
        ("bottleneck_params", "block", "1,165,824", "conv1 and conv3 are 1×1"),
        ("bottleneck_params", "block", "380,672", "no bias"),
        ("bottleneck_params", "total", "14,379,176", "forget the expansion"),
        ("bottleneck_params", "total", "25,503,912", "batch normalisation"),
        ("bottleneck_params", "total", "25,540,136", "very first block"),  # − 16,384 − 512
        ("bottleneck_params", "total", "22,780,456", "projection shortcuts"),
        ("bottleneck_params", "total", "23,508,032", "fully connected layer"),
        ("bottleneck_params", "total", "21,797,672", "basic blocks"),  # ResNet-34's count
        ("bottleneck_params", "total", "379,392", "one block"),
        # Textbook inception (3a): 120,422,400 without, 12,443,648 with.
        ("inception_reduction", "without", "240,844,800", "FLOPs"),
        ("inception_reduction", "with", "24,887,296", "FLOPs"),
        ("inception_reduction", "with", "10,035,200", "not free"),  # the 5×5 on 16 channels alone
        ("inception_reduction", "with", "2,408,448", "only the 1×1 reduction"),
        ("inception_reduction", "without", "24,084,480", "5 instead of 5²"),
        ("inception_reduction", "without", "627,200", "ALL its input channels"),
        ("inception_reduction", "without", "120,447,488", "Biases"),
        ("inception_reduction", "without", "88,473,600", "padding 2"),  # 24×24 outputs
        ("inception_reduction", "without", "12,443,648", "other part's answer"),
    ],
)
def test_classic_wrong_answers_get_their_hint(
    tmp_path: Path, exercise_id: str, part: str, answer: str, words: str
) -> None:
    result = check_answer(_workspace(tmp_path, None), course().exercise(exercise_id), part, answer)
    assert not result.correct
    assert words in (result.hint or ""), result.hint


@pytest.mark.parametrize("exercise_id", SESSION3_QUESTIONS)
def test_the_textbook_number_on_a_variant_gets_its_own_hint(tmp_path: Path, exercise_id: str) -> None:
    part = _question(exercise_id).parts[0].name
    published = _truth(exercise_id, None)[part]
    student = next(s for s in STUDENTS if _truth(exercise_id, s)[part] != published)
    result = check_answer(
        _workspace(tmp_path, student), course().exercise(exercise_id), part, str(published[0])
    )
    assert not result.correct
    assert result.hint == TEXTBOOK_NUMBER.format(question=exercise_id)


@pytest.mark.parametrize("exercise_id", SESSION3_QUESTIONS)
def test_every_listed_mistake_is_wrong_and_its_hint_is_filled_in(exercise_id: str) -> None:
    question = _question(exercise_id)
    for student in [None, *STUDENTS[:15]]:
        params = _params(exercise_id, student)
        truth = question.measure(params)
        mistakes = question.mistakes(params)
        assert mistakes
        for mistake in mistakes:
            assert mistake.part in truth
            assert not set(mistake.values) & set(truth[mistake.part]), (student, mistake)
            assert "{" not in mistake.hint and "}" not in mistake.hint, mistake.hint


@pytest.mark.parametrize("exercise_id", SESSION3_QUESTIONS)
def test_statement_is_filled_with_the_students_numbers(tmp_path: Path, exercise_id: str) -> None:
    exercise = course().exercise(exercise_id)
    textbook = question_text(exercise, _workspace(tmp_path, None))
    mine = question_text(exercise, _workspace(tmp_path, STUDENTS[1]))
    assert (
        "{" not in mine and "}" not in mine and "textbook numbers" in textbook and "your own variant" in mine
    )
    assert mine != textbook

"""Session-2 numeric questions: whole architectures (LeNet-5, AlexNet, VGG, ResNet) measured in torch.

The textbook variant must give the published numbers; other students get other widths, input sizes
or stage counts, and their truths are checked against closed-form counts written out here, so the
measurement on the torch-built models is tested against something independent of it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_fast_commands import PROBE
from tutor.catalog import course
from tutor.questions import check_answer, load_question, question_text, variant
from tutor.questions._architectures import TEXTBOOK_NUMBER
from tutor.workspace import init_workspace

SESSION2_QUESTIONS = ["lenet_shapes", "lenet_params", "alexnet_params", "vgg_params", "resnet_params"]
STUDENTS = [f"s{n:07d}" for n in range(2_000_000, 2_000_040)]

PUBLISHED = {
    "lenet_shapes": {
        "conv1_side": (28,),
        "conv1_depth": (6,),
        "pool1_side": (14,),
        "conv2_side": (10,),
        "conv2_depth": (16,),
        "pool2_side": (5,),
        "flatten": (400,),
    },
    "lenet_params": {"conv": (2_572,), "total": (61_706,)},
    "alexnet_params": {"conv": (3_747_200,), "fc": (58_631_144,), "total": (62_378_344,)},
    "vgg_params": {"conv": (14_714_688,), "fc": (123_642_856,), "total": (138_357_544,)},
    "resnet_params": {"shortcuts": (173_824,), "total": (21_797_672,)},
}


def _question(exercise_id: str):  # noqa: ANN202
    return load_question(course().exercise(exercise_id))


def _params(exercise_id: str, student: str | None) -> dict:
    return variant(_question(exercise_id), student, exercise_id).params


def _truth(exercise_id: str, student: str | None) -> dict[str, tuple[int, ...]]:
    return _question(exercise_id).measure(_params(exercise_id, student))


def _workspace(tmp_path: Path, student: str | None):  # noqa: ANN202
    workspace, _ = init_workspace(tmp_path / (student or "textbook"), course(), student)
    return workspace


# -- the catalog and the textbook ------------------------------------------------------------------


def test_questions_sit_in_session_two_next_to_their_topics() -> None:
    exercises = {e.id: e for e in course().exercises}
    for exercise_id in SESSION2_QUESTIONS:
        exercise = exercises[exercise_id]
        assert exercise.kind == "numeric" and exercise.session == 2 and exercise.hints
        assert exercise.statement_path().is_file()
    order = course().ids()
    assert order.index("lenet_shapes") < order.index("lenet_params") < order.index("lenet")
    assert order.index("alexnet_params") < order.index("vgg_params") < order.index("vgg_arithmetic")
    assert order.index("residual_block") < order.index("resnet_params")


@pytest.mark.parametrize("exercise_id", SESSION2_QUESTIONS)
def test_textbook_variant_gives_the_published_numbers(exercise_id: str) -> None:
    assert _truth(exercise_id, None) == PUBLISHED[exercise_id]


def test_vgg_configurations_give_the_papers_totals() -> None:
    """Configurations A, B and E of Simonyan & Zisserman (VGG-11, -13, -19), counted independently."""
    question = _question("vgg_params")
    published = {11: 132_863_336, 13: 133_047_848, 16: 138_357_544, 19: 143_667_240}
    for depth, total in published.items():
        params = dict(question.textbook) | {"depth": depth}
        assert question.measure(params)["total"] == (total,), f"VGG-{depth}"


# -- variants ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", SESSION2_QUESTIONS)
def test_variants_are_deterministic_and_differ_between_students(exercise_id: str) -> None:
    question = _question(exercise_id)
    for student in STUDENTS[:5]:
        assert variant(question, student, exercise_id) == variant(question, student, exercise_id)
    params = {repr(sorted(_params(exercise_id, s).items())) for s in STUDENTS}
    assert len(params) >= len(STUDENTS) * 3 // 4, f"only {len(params)} variants for {len(STUDENTS)} students"
    answers = {repr(sorted(_truth(exercise_id, s).items())) for s in STUDENTS[:20]}
    assert len(answers) >= 10, "different variants must usually have different answers"
    assert PUBLISHED[exercise_id] != _truth(exercise_id, STUDENTS[0])


def _conv(c_in: int, c_out: int, f: int, bias: bool = True) -> int:
    return c_out * (f * f * c_in + (1 if bias else 0))


def _fc(n_in: int, n_out: int) -> int:
    return n_in * n_out + n_out


@pytest.mark.parametrize("student", STUDENTS[:12])
def test_lenet_variants_match_closed_forms(student: str) -> None:
    q = _params("lenet_shapes", student)
    side1 = q["side"] - 4
    pool1 = side1 // 2
    side2 = pool1 - 4
    pool2 = side2 // 2
    assert _truth("lenet_shapes", student) == {
        "conv1_side": (side1,),
        "conv1_depth": (q["c1"],),
        "pool1_side": (pool1,),
        "conv2_side": (side2,),
        "conv2_depth": (q["c2"],),
        "pool2_side": (pool2,),
        "flatten": (q["c2"] * pool2 * pool2,),
    }
    p = _params("lenet_params", student)
    flat = p["c2"] * ((((p["side"] - 4) // 2) - 4) // 2) ** 2
    conv = _conv(1, p["c1"], 5) + _conv(p["c1"], p["c2"], 5)
    fc = _fc(flat, p["h1"]) + _fc(p["h1"], p["h2"]) + _fc(p["h2"], p["classes"])
    assert _truth("lenet_params", student) == {"conv": (conv,), "total": (conv + fc,)}


@pytest.mark.parametrize("student", STUDENTS[:12])
def test_alexnet_and_vgg_variants_match_closed_forms(student: str) -> None:
    a = _params("alexnet_params", student)
    c1, c2, c3, c4, c5 = a["widths"]
    side = (a["side"] - 11) // 4 + 1
    for _ in range(3):
        side = (side - 3) // 2 + 1
    conv = _conv(3, c1, 11) + _conv(c1, c2, 5) + _conv(c2, c3, 3) + _conv(c3, c4, 3) + _conv(c4, c5, 3)
    fc = _fc(c5 * side * side, a["hidden"]) + _fc(a["hidden"], a["hidden"]) + _fc(a["hidden"], a["classes"])
    assert _truth("alexnet_params", student) == {"conv": (conv,), "fc": (fc,), "total": (conv + fc,)}

    from tutor.questions.vgg_params import CONFIGS

    v = _params("vgg_params", student)
    channels, conv = 3, 0
    for item in CONFIGS[v["depth"]]:
        if item != "M":
            conv += _conv(channels, int(item), 3)
            channels = int(item)
    flat = channels * (v["side"] // 32) ** 2
    fc = _fc(flat, v["hidden"]) + _fc(v["hidden"], v["hidden"]) + _fc(v["hidden"], v["classes"])
    assert _truth("vgg_params", student) == {"conv": (conv,), "fc": (fc,), "total": (conv + fc,)}


@pytest.mark.parametrize("student", STUDENTS[:12])
def test_resnet_variants_match_closed_forms(student: str) -> None:
    r = _params("resnet_params", student)
    widths, blocks = r["widths"], r["blocks"]
    bn = lambda c: 2 * c  # noqa: E731 - γ and β per channel
    total = _conv(3, widths[0], 7, bias=False) + bn(widths[0])
    shortcuts = 0
    channels = widths[0]
    for stage, (count, width) in enumerate(zip(blocks, widths)):
        for index in range(count):
            total += (
                _conv(channels, width, 3, bias=False)
                + bn(width)
                + _conv(width, width, 3, bias=False)
                + bn(width)
            )
            if stage > 0 and index == 0:
                shortcuts += _conv(channels, width, 1, bias=False) + bn(width)
            channels = width
    total += shortcuts + _fc(channels, r["classes"])
    assert _truth("resnet_params", student) == {"shortcuts": (shortcuts,), "total": (total,)}


# -- answering ------------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", SESSION2_QUESTIONS)
def test_right_answers_are_accepted(tmp_path: Path, exercise_id: str) -> None:
    workspace = _workspace(tmp_path, STUDENTS[3])
    exercise = course().exercise(exercise_id)
    truth = _truth(exercise_id, STUDENTS[3])
    results = [
        check_answer(workspace, exercise, None, f"{truth[p.name][0]:,}") for p in _question(exercise_id).parts
    ]
    assert all(r.correct for r in results) and results[-1].done


@pytest.mark.parametrize(
    ("exercise_id", "part", "answer", "words"),
    [
        ("lenet_shapes", "conv1_side", "32", "no padding"),
        ("lenet_shapes", "conv1_side", "27", "+1"),
        ("lenet_shapes", "pool1_side", "28", "halves the side"),
        ("lenet_shapes", "conv2_depth", "96", "not filters × input channels"),
        ("lenet_shapes", "flatten", "1600", "before pool2"),
        ("lenet_shapes", "flatten", "25", "keeps every channel"),
        ("lenet_params", "total", "61,470", "biases"),  # 61,706 without its 236 biases
        ("lenet_params", "total", "61,750", "nothing to learn"),  # a weight and a bias per pooled channel
        ("lenet_params", "conv", "572", "spans all 6 channels"),
        ("lenet_params", "total", "2,572", "only the convolutional part"),
        ("alexnet_params", "total", "50,844,008", "224 × 224"),  # the paper's 224: 256·5·5 inputs to fc1
        ("alexnet_params", "total", "60,965,224", "two-GPU"),  # the paper's own count
        ("alexnet_params", "conv", "3,745,824", "biases"),
        ("alexnet_params", "fc", "3,747,200", "swapped"),
        ("vgg_params", "fc", "123,633,664", "biases"),
        ("vgg_params", "fc", "22,979,560", "not only to its 512 channels"),
        ("vgg_params", "total", "14,714,688", "only the convolutional part"),
        ("resnet_params", "total", "21,780,648", "batch normalisation"),  # no BN: − 17,024
        ("resnet_params", "total", "21,623,848", "projection shortcuts"),  # no projections: − 173,824
        ("resnet_params", "total", "21,814,696", "running mean"),  # BN counted with its buffers
        ("resnet_params", "total", "21,795,880", "AND a BN layer"),  # projections without their BN
        ("resnet_params", "total", "21,806,184", "no bias"),
        ("resnet_params", "shortcuts", "172,032", "AND a BN layer"),
    ],
)
def test_classic_wrong_answers_get_their_hint(
    tmp_path: Path, exercise_id: str, part: str, answer: str, words: str
) -> None:
    result = check_answer(_workspace(tmp_path, None), course().exercise(exercise_id), part, answer)
    assert not result.correct
    assert words in (result.hint or ""), result.hint


@pytest.mark.parametrize("exercise_id", SESSION2_QUESTIONS)
def test_the_textbook_number_on_a_variant_gets_its_own_hint(tmp_path: Path, exercise_id: str) -> None:
    part = "flatten" if exercise_id == "lenet_shapes" else "total"
    published = PUBLISHED[exercise_id][part]
    student = next(s for s in STUDENTS if _truth(exercise_id, s)[part] != published)
    result = check_answer(
        _workspace(tmp_path, student), course().exercise(exercise_id), part, str(published[0])
    )
    assert not result.correct
    assert result.hint == TEXTBOOK_NUMBER.format(question=exercise_id)


@pytest.mark.parametrize("exercise_id", SESSION2_QUESTIONS)
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


@pytest.mark.parametrize("exercise_id", SESSION2_QUESTIONS)
def test_statement_is_filled_with_the_students_numbers(tmp_path: Path, exercise_id: str) -> None:
    exercise = course().exercise(exercise_id)
    textbook = question_text(exercise, _workspace(tmp_path, None))
    mine = question_text(exercise, _workspace(tmp_path, STUDENTS[1]))
    assert (
        "{" not in mine and "}" not in mine and "textbook numbers" in textbook and "your own variant" in mine
    )
    assert mine != textbook


def test_show_vgg_params_does_not_import_torch(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-c", PROBE, "init", "ws", "--student", "s42"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "show", "vgg_params"],
        cwd=tmp_path / "ws",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("HEAVY=")] == ["HEAVY="]
    assert "512" in done.stdout and "M" in done.stdout

"""Padding on the wrong sides (tutor/checking/padding.py): named when the reference on the input
padded by hand reproduces every failing output, and silent on a right answer or another bug."""

from __future__ import annotations

import numpy as np

from tutor.checking import padding, structure
from tutor.checking.compare import ArrayComparison
from tutor.checking.spec import Case
from tutor.checks import _reference as ref

RNG = np.random.default_rng(5)
EQUIVALENT = ArrayComparison().equivalent
# (ph, pw) per failing example: the height's padding larger, so the student's wider input is cropped.
PADDINGS = [(2, 1), (1, 0), (2, 0)]


def _expect(case: Case) -> np.ndarray:
    return ref.conv2d(case["x"], case["w"], case.get("b"), case.get("stride", 1), case.get("padding", 0))


def _sides_used(case: Case, sides: tuple[int, int, int, int]) -> np.ndarray:
    """A student's conv2d that pads (top, bottom, left, right) by hand, looping over the right output size."""
    top, bottom, left, right = sides
    x = np.pad(case["x"], ((0, 0), (0, 0), (top, bottom), (left, right)))
    out = ref.conv2d(x, case["w"], case.get("b"), case.get("stride", 1), 0)
    h, w = _expect(case).shape[-2:]
    return out[..., :h, :w]


def _examples(student) -> list[structure.Example]:  # noqa: ANN001 - student(case, ph, pw)
    examples = []
    for ph, pw in PADDINGS:
        case = Case.of(
            ("x", RNG.normal(size=(2, 3, 5, 6))),
            ("w", RNG.normal(size=(4, 3, 3, 2))),
            b=None,
            stride=1,
            padding=(ph, pw),
        )
        examples.append(structure.Example(case, _expect(case), student(case, ph, pw)))
    return examples


def test_the_width_padded_with_the_heights_padding_is_named() -> None:
    sentence = padding.padded_sides(
        _examples(lambda case, ph, pw: _sides_used(case, (ph, ph, ph, ph))), _expect, EQUIVALENT, "output"
    )
    assert sentence is not None and "ph columns of padding on the left (instead of pw" in sentence
    # Through explain, as the engine calls it.
    examples = _examples(lambda case, ph, pw: _sides_used(case, (ph, ph, ph, ph)))
    assert "on the left (instead of pw" in (structure.explain(examples, (), _expect, EQUIVALENT) or "")


def test_a_right_answer_and_another_bug_get_no_padding_claim() -> None:
    right = _examples(lambda case, ph, pw: _expect(case))
    assert padding.padded_sides(right, _expect, EQUIVALENT, "output") is None
    flipped = _examples(lambda case, ph, pw: _expect(case.replace("w", case["w"][..., ::-1, ::-1])))
    assert padding.padded_sides(flipped, _expect, EQUIVALENT, "output") is None


def test_equal_paddings_tell_no_side_from_another() -> None:
    case = Case.of(("x", RNG.normal(size=(1, 2, 4, 4))), ("w", RNG.normal(size=(1, 2, 3, 3))), padding=(1, 1))
    examples = [structure.Example(case, _expect(case), _expect(case) + 1.0)]
    assert padding.padded_sides(examples, _expect, EQUIVALENT, "output") is None


def test_a_side_that_is_zero_anyway_is_said_as_no_padding() -> None:
    # ph = 0 on every example: "ph on the left" and "nothing on the left" cannot be told apart.
    examples = []
    for pw in (1, 2):
        case = Case.of(
            ("x", RNG.normal(size=(1, 2, 4, 5))), ("w", RNG.normal(size=(1, 2, 2, 1))), padding=(0, pw)
        )
        examples.append(structure.Example(case, _expect(case), _sides_used(case, (0, 0, 0, 2 * pw))))
    sentence = padding.padded_sides(examples, _expect, EQUIVALENT, "output")
    assert sentence is not None and "no padding (ph = 0 there) on the left" in sentence

"""Whole-number diagnosis (tutor/checking/scalars.py): a wrong count named by how it relates to the
right one and to the call's integer inputs, and no claim on a coincidence or an unrelated bug."""

from __future__ import annotations

import itertools

from tutor.checking import scalars, structure
from tutor.checking.spec import Case

NAMES = ("h_out", "w_out", "c_in", "c_out", "k")
# Varied inputs, as Hypothesis draws them (distinct values, so factors do not hide behind 1s).
INPUTS = [(3, 4, 2, 5, 3), (2, 2, 3, 4, 1), (5, 3, 4, 2, 5), (4, 6, 1, 3, 2), (7, 2, 3, 3, 3)]


def _case(values: tuple[int, ...]) -> Case:
    return Case.of(*zip(NAMES, values))


def _right(h: int, w: int, ci: int, co: int, k: int) -> tuple[int, int]:
    return h * w * ci * co * k * k, h * w * ci * k * k + h * w * ci * co


def _expect(case: Case) -> tuple[int, int]:
    return _right(*(case[n] for n in NAMES))


def _explain(student) -> str | None:  # noqa: ANN001 - a function of the five inputs
    # Only the failing inputs are evidence, as in the engine.
    examples = [
        structure.Example(_case(v), _right(*v), student(*v)) for v in INPUTS if student(*v) != _right(*v)
    ]
    return structure.explain(examples, ("standard cost", "separable cost"), _expect, lambda a, b: a == b)


def test_a_term_with_a_factor_too_many_is_named_with_the_parameter_names() -> None:
    sentence = _explain(lambda h, w, ci, co, k: (_right(h, w, ci, co, k)[0], h * w * ci * k * k * (1 + co)))
    assert sentence is not None
    assert "separable cost is the right one plus h_out·w_out·c_in·c_out·(k² − 1)" in sentence


def test_an_input_in_place_of_another_in_one_term_is_named() -> None:
    sentence = _explain(
        lambda h, w, ci, co, k: (_right(h, w, ci, co, k)[0], h * w * co * k * k + h * w * ci * co)
    )
    assert sentence is not None and "c_out in place of c_in" in sentence
    assert "h_out·w_out·c_in·k² became h_out·w_out·c_out·k²" in sentence


def test_a_factor_and_a_missing_term_are_named() -> None:
    sentence = _explain(lambda h, w, ci, co, k: (_right(h, w, ci, co, k)[0] * k, _right(h, w, ci, co, k)[1]))
    assert sentence is not None and "standard cost is k times the right one" in sentence
    sentence = _explain(lambda h, w, ci, co, k: (_right(h, w, ci, co, k)[0], h * w * ci * k * k))
    assert sentence is not None and "minus h_out·w_out·c_in·c_out" in sentence


def test_a_right_answer_or_an_unrelated_bug_gets_no_claim() -> None:
    assert _explain(_right) is None
    # A rounding bug is no polynomial in the inputs.
    assert (
        _explain(lambda h, w, ci, co, k: (_right(h, w, ci, co, k)[0], int(_right(h, w, ci, co, k)[1] * 0.9)))
        is None
    )
    # The wrong item differs by a fixed amount unrelated to the inputs.
    assert (
        _explain(lambda h, w, ci, co, k: (_right(h, w, ci, co, k)[0] + 7, _right(h, w, ci, co, k)[1])) is None
    )


def test_relations_that_agree_only_on_the_failing_inputs_are_no_claim() -> None:
    # When c_in == k on every failing input, "a factor c_in" and "a factor k" cannot be told apart
    # on those inputs; the probes (one input raised) tell them apart, so no claim.
    cases = [(3, 4, 2, 5, 2), (2, 3, 3, 4, 3), (5, 3, 4, 2, 4)]
    examples = [structure.Example(_case(v), _right(*v), (_right(*v)[0] * v[2], _right(*v)[1])) for v in cases]
    assert (
        structure.explain(examples, ("standard cost", "separable cost"), _expect, lambda a, b: a == b) is None
    )


def test_too_few_distinct_inputs_are_no_evidence() -> None:
    v = INPUTS[0]
    examples = [structure.Example(_case(v), _right(*v), (_right(*v)[0] * v[4], _right(*v)[1]))] * 5
    assert (
        structure.explain(examples, ("standard cost", "separable cost"), _expect, lambda a, b: a == b) is None
    )


def test_a_plain_count_one_too_many_is_named() -> None:
    def right(case: Case) -> int:
        return case["n"] - case["f"] + 1

    cases = [Case.of(("n", n), ("f", f)) for n, f in itertools.product((5, 7, 9), (1, 3))]
    examples = [structure.Example(c, right(c), right(c) + 1) for c in cases]
    sentence = structure.explain(examples, (), right, lambda a, b: a == b)
    assert sentence is not None and "one more than the right one" in sentence


def test_a_float_answer_is_left_to_the_other_rules() -> None:
    examples = [structure.Example(_case(v), 1.5 * v[0], 3.0 * v[0]) for v in INPUTS]
    assert scalars.explain_examples(examples, (), None) is None

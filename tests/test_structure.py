"""Structural diagnosis (tutor/checking/structure.py): each rule names its relation on a constructed
case, and stays silent on a near miss; the evidence keeps early and explicit failures (evidence.py)."""

from __future__ import annotations

import numpy as np

from tutor.checking import evidence, structure
from tutor.checking.spec import Case
from tutor.checks import _reference as ref

RNG = np.random.default_rng(3)


def _examples(pairs: list[tuple[np.ndarray, np.ndarray]], **inputs: list) -> list[structure.Example]:
    cases = [Case.of(*((name, values[i]) for name, values in inputs.items())) for i in range(len(pairs))]
    return [structure.Example(case, want, have) for case, (want, have) in zip(cases, pairs)]


def _values(*shape: int) -> np.ndarray:
    return RNG.uniform(1, 5, size=shape) * RNG.choice([-1, 1], size=shape)


# -- tuples --------------------------------------------------------------------------------------
def test_a_swapped_tuple_is_named() -> None:
    a, b, c = _values(3), _values(2), _values(2)
    examples = [structure.Example(Case(), (a, b, c), (b, a, c))]
    sentence = structure.tuple_order(examples, ("dx", "dw", "db"))
    assert sentence is not None and "dx and dw are in each other's places" in sentence
    examples = [structure.Example(Case(), (a, b, c), (a, c, c))]
    assert "Your dw is the right db" in (structure.tuple_order(examples, ("dx", "dw", "db")) or "")


def test_a_tuple_that_is_simply_wrong_is_not_called_swapped() -> None:
    a, c = _values(3), _values(3)
    examples = [structure.Example(Case(), (a, c), (c + 1, a))]
    assert structure.tuple_order(examples, ("dx", "dw")) is None


# -- got = f(expected) ----------------------------------------------------------------------------
def test_a_square_is_named_and_a_near_square_is_not() -> None:
    want = _values(2, 3)
    assert "square of the right one" in (structure.elementwise(_examples([(want, want**2)]), "output") or "")
    near = want**2
    near[0, 0] += 0.5
    assert structure.elementwise(_examples([(want, near)]), "output") is None


def test_an_output_of_zeros_is_named_and_a_partly_zero_one_is_not() -> None:
    want = _values(3, 4)
    sentence = structure.elementwise(_examples([(want, np.zeros_like(want))]), "output")
    assert sentence is not None and "is 0, whatever the right one" in sentence and ".copy()" in sentence
    partly = np.zeros_like(want)
    partly[0, 0] = want[0, 0]
    assert structure.elementwise(_examples([(want, partly)]), "output") is None
    assert structure.elementwise(_examples([(want, want)]), "output") is None


def test_a_relu_of_the_answer_is_named() -> None:
    want = _values(4, 4)
    sentence = structure.elementwise(_examples([(want, np.maximum(want, 0))]), "output")
    assert sentence is not None and "0 where it is negative" in sentence


# -- the answer for a changed input ---------------------------------------------------------------
def _conv_case(with_bias: bool = True) -> Case:
    x, w = _values(2, 3, 5, 4), _values(4, 3, 3, 3)
    return Case.of(("x", x), ("w", w), ("b", _values(4) if with_bias else None))


def _conv(case: Case) -> np.ndarray:
    return ref.conv2d(case["x"], case["w"], case.get("b"), 1, 0)


def _equal(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.allclose(a, b)


def test_an_input_that_never_reaches_the_output_is_named() -> None:
    cases = [_conv_case(), _conv_case()]
    examples = [structure.Example(c, _conv(c), _conv(c.replace("b", np.zeros(4)))) for c in cases]
    sentence = structure.input_changed(examples, _conv, _equal, "output")
    assert sentence is not None and "b is all zeros" in sentence


def test_a_transposed_kernel_is_named_and_a_half_transposed_one_is_not() -> None:
    cases = [_conv_case(), _conv_case()]
    turned = [c.replace("w", np.swapaxes(c["w"], 2, 3)) for c in cases]
    examples = [structure.Example(c, _conv(c), _conv(t)) for c, t in zip(cases, turned)]
    assert "w's last two axes are swapped" in (
        structure.input_changed(examples, _conv, _equal, "output") or ""
    )
    # Only on the first example: the second got is right, so no relation holds on both.
    examples[1] = structure.Example(cases[1], _conv(cases[1]), _conv(cases[1]) + 1.0)
    assert structure.input_changed(examples, _conv, _equal, "output") is None


# -- offsets ---------------------------------------------------------------------------------------
def test_a_bias_added_twice_is_named() -> None:
    b = _values(3)
    want = _values(2, 3, 4, 4)
    got = want + b[None, :, None, None]
    sentence = structure.offset(_examples([(want, got)], b=[b]), "output")
    assert sentence is not None and "plus b, along axis 1" in sentence and "added once too often" in sentence


def test_a_bias_added_inside_a_loop_is_named() -> None:
    b = _values(3)
    want = _values(2, 3, 4, 4)
    times = RNG.integers(1, 5, size=(2, 1, 4, 4))
    sentence = structure.offset(_examples([(want, want + times * b[None, :, None, None])], b=[b]), "output")
    assert sentence is not None and "inside a loop" in sentence


def test_an_offset_that_is_not_the_bias_everywhere_is_not_named() -> None:
    b = _values(3)
    want = _values(2, 3, 4, 4)
    got = want + b[None, :, None, None]
    got[1, 2, 3, 3] += 0.7  # one value off the pattern
    assert structure.offset(_examples([(want, got)], b=[b]), "output") is None


def test_a_constant_offset_is_named() -> None:
    want = _values(3, 4)
    assert "plus 0.5" in (structure.offset(_examples([(want, want + 0.5)]), "output") or "")


# -- factors along one axis ---------------------------------------------------------------------------
def test_a_factor_per_channel_is_named_and_a_factor_per_value_is_not() -> None:
    want = _values(2, 3, 4, 4)
    factors = np.array([1.0, 2.0, 0.5])
    sentence = structure.axis_factor(_examples([(want, want * factors[None, :, None, None])]), "output")
    assert sentence is not None and "axis 1" in sentence
    scattered = want * RNG.uniform(0.5, 2, size=want.shape)
    assert structure.axis_factor(_examples([(want, scattered)]), "output") is None


def test_a_factor_in_one_dimension_is_no_claim() -> None:
    want = _values(5)
    assert structure.axis_factor(_examples([(want, want * np.arange(1, 6))]), "output") is None


# -- moved values -------------------------------------------------------------------------------------
def test_a_flip_and_a_shift_are_named() -> None:
    want = _values(1, 2, 4, 5)
    assert "reverse order along the columns" in (
        structure.moved(_examples([(want, want[..., ::-1])]), "output") or ""
    )
    shifted = np.zeros_like(want)
    shifted[..., 1:, :] = want[..., :-1, :]
    assert "moved by one position along the rows" in (
        structure.moved(_examples([(want, shifted)]), "output") or ""
    )
    shifted[0, 0, 2, 2] += 1.0
    assert structure.moved(_examples([(want, shifted)]), "output") is None


def test_right_values_in_a_wrong_shape_are_named() -> None:
    want = _values(2, 3, 4)
    sentence = structure.reshaped(_examples([(want, want.transpose(0, 2, 1))]), "output")
    assert sentence is not None and "axes in the order (0, 2, 1)" in sentence
    per_image = _values(5, 3)
    sentence = structure.reshaped(_examples([(per_image.sum(axis=0), per_image)]), "db")
    assert sentence is not None and "sum over axis 0" in sentence
    assert structure.reshaped(_examples([(per_image.sum(axis=0) + 1, per_image)]), "db") is None


# -- where the error is ---------------------------------------------------------------------------------
def test_an_error_in_the_last_row_is_named_and_one_that_spreads_is_not() -> None:
    want = _values(1, 2, 5, 4)
    got = want.copy()
    got[..., -1, :] = 0.0
    sentence = structure.region(_examples([(want, got)]), "output")
    assert sentence is not None and "the last row" in sentence
    got[0, 0, 1, 1] += 1.0
    assert structure.region(_examples([(want, got)]), "output") is None


def test_an_error_in_the_last_row_and_column_is_named_and_one_inside_is_not() -> None:
    want = _values(4, 5)
    got = want.copy()
    got[-1, :] = 0.0
    got[:, -1] = 0.0  # a loop range one short on both axes
    sentence = structure.region(_examples([(want, got)]), "output")
    assert sentence is not None and "the last row and the last column" in sentence
    got[1, 1] += 1.0
    assert structure.region(_examples([(want, got)]), "output") is None
    assert structure.region(_examples([(want, want.copy())]), "output") is None


def test_an_error_in_some_channels_is_named() -> None:
    want = _values(2, 4, 3, 3)
    got = want.copy()
    got[:, 1:] *= 3
    sentence = structure.region(_examples([(want, got)]), "output")
    assert sentence is not None and "axis 1" in sentence


def test_a_one_row_output_is_no_evidence_for_a_region() -> None:
    want = _values(1, 3)
    assert structure.region(_examples([(want, want + 1)]), "output") is None


def test_an_error_only_where_an_input_is_negative_is_named() -> None:
    x, dout = _values(4, 5), _values(4, 5)
    want = np.where(x > 0, dout, 0.0)
    got = dout * np.sign(x)
    sentence = structure.where_input(_examples([(want, got)], dout=[dout], x=[x]), "output")
    assert sentence is not None and "only where x < 0" in sentence
    got[x > 0] += 0.5
    assert structure.where_input(_examples([(want, got)], dout=[dout], x=[x]), "output") is None


# -- together -----------------------------------------------------------------------------------------
def test_explain_names_the_one_wrong_item_of_a_tuple() -> None:
    want = _values(3, 4)
    examples = [structure.Example(Case(), (want, want), (want, want**2))]
    assert "Every value of your dw is the square" in (structure.explain(examples, ("dx", "dw")) or "")


def test_explain_says_nothing_about_a_right_answer_or_noise() -> None:
    want = _values(3, 4)
    assert structure.explain([structure.Example(Case(), want, want + RNG.normal(size=want.shape))]) is None


def test_evidence_keeps_the_earliest_failures_and_shows_the_shrunk_one_first() -> None:
    cases = [Case.of(("x", i)) for i in range(30)]
    failures = [(c, i) for i, c in enumerate(cases)]
    chosen = evidence.failing(failures[-1], failures)
    assert chosen[0] is failures[-1]
    kept = [got for _, got in chosen]
    assert kept[1 : 1 + evidence.SHRUNK] == list(range(19, 29))
    assert kept[1 + evidence.SHRUNK :] == [0, 1, 2]


def test_explicit_failures_keep_only_wrong_values() -> None:
    outcomes = {1: (10, True), 2: (20, False), 3: None}
    assert evidence.explicit_failures([1, 2, 3], outcomes.get) == [(1, 10)]


def test_two_inputs_that_both_fit_are_no_claim() -> None:
    x = _values(4, 5)
    want = np.where(x > 0, x, 0.0)
    got = np.abs(x)  # wrong exactly where x < 0, and there dout < 0 too: which one is it?
    examples = _examples([(want, got)], dout=[x.copy()], x=[x])
    assert structure.where_input(examples, "output") is None


def test_tiny_outputs_alone_are_no_evidence() -> None:
    assert structure.explain([structure.Example(Case(), np.array([2.0]), np.array([1.5]))]) is None
    want = _values(3, 4)
    assert structure.explain([structure.Example(Case(), want, want + 0.5)]) is not None


def test_an_offset_equal_to_a_scalar_input_is_named_with_its_sign() -> None:
    wants = [_values(2, 3), _values(2, 3)]
    ys = [1.5, -2.0]
    examples = _examples([(w, w - y) for w, y in zip(wants, ys)], x=wants, y=ys)
    sentence = structure.offset(examples, "output")
    assert sentence is not None and "the right one minus y" in sentence and "y is missing" in sentence
    # A different constant on each input that is none of the inputs: no claim.
    examples = _examples([(w, w + c) for w, c in zip(wants, (0.5, 0.7))], x=wants, y=ys)
    assert structure.offset(examples, "output") is None


def _conv_padded(case: Case) -> np.ndarray:
    return ref.conv2d(case["x"], case["w"], None, 1, case["padding"])


def test_one_padding_used_for_both_axes_is_named_and_a_coincidence_is_not() -> None:
    cases = [
        Case.of(("x", _values(2, 3, 5, 6)), ("w", _values(4, 3, 3, 2)), ("padding", (2, 0))),
        Case.of(("x", _values(1, 3, 4, 7)), ("w", _values(4, 3, 2, 3)), ("padding", (1, 1))),
    ]
    mixed = [c.replace("padding", (c["padding"][0], c["padding"][0])) for c in cases]
    examples = [structure.Example(c, _conv_padded(c), _conv_padded(m)) for c, m in zip(cases, mixed)]
    sentence = structure.input_changed(examples, _conv_padded, _equal, "output")
    assert sentence is not None and "padding's first value is used for both axes" in sentence
    # Swapped pairs are a different mistake, and wrong values that no mix-up explains are no claim.
    swapped = [c.replace("padding", c["padding"][::-1]) for c in cases]
    examples = [structure.Example(c, _conv_padded(c), _conv_padded(m)) for c, m in zip(cases, swapped)]
    assert "two values are swapped" in (
        structure.input_changed(examples, _conv_padded, _equal, "output") or ""
    )
    examples = [structure.Example(c, _conv_padded(c), _conv_padded(m) + 0.5) for c, m in zip(cases, mixed)]
    assert structure.input_changed(examples, _conv_padded, _equal, "output") is None

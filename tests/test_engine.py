"""The grading core in isolation: staged comparison, the wire format, reproducibility and replay."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SOLUTIONS, VARIANTS
from tutor.catalog import course
from tutor.checking import wire
from tutor.checking.compare import ArrayComparison, IntegerComparison
from tutor.checking.engine import CheckOptions, run_check
from tutor.checking.result import Status


# -- staged comparison -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("got", "status"),
    [
        ([[1.0, 2.0]], Status.WRONG_TYPE),
        (np.ones((2, 1)), Status.WRONG_SHAPE),
        (np.ones((1, 2, 1)), Status.WRONG_SHAPE),  # broadcastable is still wrong
        (np.array([[1, 2]]), Status.WRONG_DTYPE),
        (np.array([[1.0, np.nan]]), Status.NOT_FINITE),
        (np.array([[1.0, 2.1]]), Status.FAILED),
    ],
)
def test_each_stage_reports_its_own_status(got: object, status: Status) -> None:
    mismatch = ArrayComparison().compare(np.array([[1.0, 2.0]]), got)
    assert mismatch is not None and mismatch.status is status
    assert mismatch.message


def test_float32_arithmetic_is_accepted_and_the_worst_index_is_reported() -> None:
    rng = np.random.default_rng(0)
    expected = rng.normal(size=(3, 4)) * 50
    assert ArrayComparison().compare(expected, expected.astype(np.float32)) is None
    wrong = expected.copy()
    wrong[2, 1] += 1.0
    mismatch = ArrayComparison().compare(expected, wrong)
    assert mismatch is not None and mismatch.worst_index == "(2, 1)" and mismatch.tolerance


def test_integers_accept_any_integral_spelling_but_not_bools_or_fractions() -> None:
    compare = IntegerComparison()
    assert compare.compare(3, np.int64(3)) is None
    assert compare.compare(3, 3.0) is None
    assert compare.compare(3, True) is not None
    assert compare.compare(3, 3.5) is not None
    assert compare.compare((13500, 4200), [13500, 4200]) is None
    assert compare.compare((13500, 4200), np.array([13500, 4200])) is None
    assert compare.compare((13500, 4200), np.array([[13500, 4200]])) is not None
    assert compare.compare((13500, 4200), (4200, 13500)) is not None
    assert compare.equivalent(2.5, 2.5) and not compare.equivalent(2, 2.5)


# -- the wire format -----------------------------------------------------------------------------------
def _roundtrip(value: object) -> object:
    read, write = os.pipe()
    try:
        node, buffers = wire.encode_value(value)
        wire.send(write, {"value": node}, buffers)
        message, received = wire.receive(read)
        return wire.decode_value(message["value"], received)
    finally:
        os.close(read)
        os.close(write)


def test_wire_round_trips_arrays_scalars_and_containers() -> None:
    value = {
        "x": np.arange(6, dtype=np.float32).reshape(2, 3),
        "n": np.int64(7),
        "pair": (1, 2.5),
        "none": None,
        "inf": float("inf"),
    }
    back = _roundtrip(value)
    assert isinstance(back, dict)
    assert back["x"].dtype == np.float32 and np.array_equal(back["x"], value["x"])
    assert back["n"] == 7 and isinstance(back["n"], np.int64)
    assert back["pair"] == (1, 2.5) and back["none"] is None and back["inf"] == float("inf")


def test_wire_never_carries_objects() -> None:
    back = _roundtrip([np.array([object()], dtype=object), Path("/tmp")])
    assert isinstance(back, list)
    assert all(isinstance(item, wire.Foreign) for item in back)
    with pytest.raises(wire.WireError):
        wire.decode_value({"t": "nd", "dtype": "|O", "shape": [1], "buf": 0}, [b"\0" * 8])
    with pytest.raises(wire.WireError):
        wire.decode_value({"t": "nd", "dtype": "<f8", "shape": [3], "buf": 0}, [b"\0" * 8])


# -- reproducibility -----------------------------------------------------------------------------------
def test_derandomized_checks_give_identical_verdicts() -> None:
    exercise = course().exercise("conv2d")
    path = VARIANTS / "conv2d" / "wrong_padding_ignored.py"
    first = run_check(exercise, path, CheckOptions(derandomize=True)).to_dict()
    second = run_check(exercise, path, CheckOptions(derandomize=True)).to_dict()
    for report in (first, second):
        report.pop("seconds")
    assert first == second


def test_last_failure_is_replayed_first(tmp_path: Path) -> None:
    exercise = course().exercise("conv2d")
    path = VARIANTS / "conv2d" / "wrong_stride_swapped.py"
    options = CheckOptions(database_dir=tmp_path / "db")
    first = run_check(exercise, path, options)
    second = run_check(exercise, path, options)
    assert first.status is second.status is Status.WRONG_SHAPE
    assert second.properties[0].examples < first.properties[0].examples
    assert second.first_failure().counterexample.call == first.first_failure().counterexample.call  # type: ignore[union-attr]


def test_verdict_names_file_and_gives_a_reproducer() -> None:
    result = run_check(
        course().exercise("corr2d"),
        VARIANTS / "corr2d" / "wrong_flipped_kernel.py",
        CheckOptions(derandomize=True),
    )
    example = result.first_failure().counterexample  # type: ignore[union-attr]
    assert "wrong_flipped_kernel.py" in result.message
    assert example is not None and "corr2d(x, k)" in example.call and example.tolerance
    namespace: dict = {}
    exec(
        compile(
            example.reproduce.replace(
                "from wrong_flipped_kernel import corr2d",
                "from solutions.corr2d import corr2d",
            ),
            "<reproduce>",
            "exec",
        ),
        namespace,
    )


def test_solution_still_passes_with_a_fixed_seed() -> None:
    result = run_check(course().exercise("conv2d"), SOLUTIONS / "conv2d.py", CheckOptions(seed=12345))
    assert result.passed and result.seed == 12345


def test_a_reused_earlier_stub_is_named_not_the_file_being_checked(tmp_path: Path) -> None:
    """residual_block may import the student's conv2d; if that is still the stub, say so."""
    import shutil

    shutil.copy(Path("exercises/conv2d.py").resolve(), tmp_path / "conv2d.py")
    shutil.copy(SOLUTIONS / "residual_block.py", tmp_path / "residual_block.py")
    result = run_check(
        course().exercise("residual_block"), tmp_path / "residual_block.py", CheckOptions(derandomize=True)
    )
    assert result.status is Status.NOT_IMPLEMENTED
    assert "conv2d.py" in result.message and "tutor check conv2d" in result.message


def test_wire_keeps_the_shape_of_zero_d_and_non_contiguous_arrays() -> None:
    """A 0-d array (a loss) stays 0-d: shape is part of the verdict, so the wire must not change it."""
    import numpy as np

    scalar = _roundtrip(np.array(2.5))
    assert isinstance(scalar, np.ndarray) and scalar.shape == () and scalar == 2.5
    transposed = np.arange(6.0).reshape(2, 3).T
    back = _roundtrip(transposed)
    assert back.shape == (3, 2) and np.array_equal(back, transposed)

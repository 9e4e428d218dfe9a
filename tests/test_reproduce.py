"""Every exercise's reproduce snippet runs exactly as printed (issue 13).

For each code exercise, a wrong variant from tests/variants/ gives a real counterexample; its
snippet is run in a fresh `python -c` inside the variant's folder, the way a student pastes it.
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import ROOT, check_file, load_variants
from tutor.catalog import course
from tutor.checking.reproduce import WIDTH, snippet, source

CODE_EXERCISES = [e.id for e in course().code_exercises()]
VARIANTS = load_variants()
RUNS_CLEANLY = ("failed", "wrong_shape", "wrong_dtype", "wrong_type", "not_finite")


def _counterexample(exercise_id: str):  # noqa: ANN202
    """The first wrong variant (one that returns, rather than raises) with a counterexample."""
    candidates = [v for v in VARIANTS if v.exercise == exercise_id and v.status in RUNS_CLEANLY]
    for variant in candidates:
        result = check_file(exercise_id, variant.path)
        failure = result.first_failure()
        if failure is not None and failure.counterexample is not None:
            return variant, failure.counterexample
    pytest.fail(f"no wrong variant of {exercise_id} gives a counterexample")


@pytest.mark.parametrize("exercise_id", CODE_EXERCISES)
def test_reproduce_snippet_runs_as_printed(exercise_id: str) -> None:
    variant, example = _counterexample(exercise_id)
    assert "array(" not in example.reproduce.replace("np.array(", ""), example.reproduce
    assert all(len(line) <= WIDTH for line in example.reproduce.splitlines()), "a line would be cut"
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")
    # On standard input, as `python -c` runs it (the current folder first on sys.path), without the
    # operating system's limit on one argument: the capstone's snippet carries 3,874 parameters.
    run = subprocess.run(
        [sys.executable, "-"],
        input=example.reproduce,
        cwd=variant.path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, f"{variant.path.name}:\n{example.reproduce}\n{run.stderr[-2000:]}"


@pytest.mark.parametrize(
    "value",
    [
        np.array([[1.5, np.nan], [np.inf, -np.inf]]),
        np.array([True, False]),
        np.zeros((0, 3), dtype=np.float32),
        np.arange(6, dtype=np.int64).reshape(2, 3),
        {"w": np.ones((2, 1, 3, 3)), "b": np.zeros(2), "meta": (1, 2)},
        ((1, 2), [np.ones(2), 3.0], (np.float64(0.5),)),
        np.float32(0.25),
        np.random.default_rng(0).standard_normal((2, 3, 5, 7)),
    ],
)
def test_source_evaluates_to_the_same_value(value: object) -> None:
    text = source(value, 0, len("value = "))
    assert all(len(line) <= WIDTH for line in f"value = {text}".splitlines())
    back = eval(text, {"np": np})  # noqa: S307 - our own generated source

    def same(a: object, b: object) -> None:
        assert type(a) is type(b)
        if isinstance(a, np.ndarray):
            assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)  # type: ignore[union-attr]
        elif isinstance(a, dict):
            assert a.keys() == b.keys()  # type: ignore[union-attr]
            for key in a:
                same(a[key], b[key])  # type: ignore[index]
        elif isinstance(a, (tuple, list)):
            assert len(a) == len(b)  # type: ignore[arg-type]
            for x, y in zip(a, b):  # type: ignore[call-overload]
                same(x, y)
        else:
            assert a == b

    same(value, back)


def test_a_params_dict_is_written_once() -> None:
    params = {"conv1": np.ones((1, 1, 3, 3)), "bn1_gamma": np.ones(1)}
    call, text = snippet(
        "residual_block",
        "residual_block",
        "exercises",
        [("x", np.ones((1, 1, 3, 3))), ("params", params)],
        [("stride", 1)],
    )
    assert call == "residual_block(x, params, stride=1)"
    assert text.count("'conv1'") == 1

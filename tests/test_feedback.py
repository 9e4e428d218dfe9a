"""Feedback that names the bug (issue 13): output-size formulas, explained crashes, sentences,
and earlier exercises found in the workspace for `tutor check ID --file PATH`."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SOLUTIONS
from tutor.catalog import course
from tutor.checking import crashes, output_size
from tutor.checking.engine import CheckOptions, run_check
from tutor.checking.output_size import Geometry, name_output_size
from tutor.checking.result import Status

# H=7, W=5 input; kernel 3×2; stride (2, 2); padding (0, 1): right shape (3, 3).
G = Geometry(n=(7, 5), f=(3, 2), s=(2, 2), p=(0, 1))


def _shape(height: int, width: int) -> tuple[int, int, int, int]:
    return (1, 1, height, width)


def test_right_shape_is_not_named() -> None:
    assert name_output_size(G, _shape(3, 3), _shape(3, 3)) is None


@pytest.mark.parametrize(
    ("geometry", "got", "text"),
    [
        # W from kh: (5 + 2 − 3) // 2 + 1 = 3 vs (5 + 2 − 2) // 2 + 1 = 3: use a case where they differ.
        (Geometry(n=(7, 6), f=(3, 2), s=(1, 1), p=(0, 0)), (5, 4), output_size.WIDTH_FROM_KERNEL_HEIGHT),
        (Geometry(n=(7, 6), f=(2, 3), s=(1, 1), p=(0, 0)), (5, 4), output_size.HEIGHT_FROM_KERNEL_WIDTH),
        (Geometry(n=(10, 10), f=(3, 3), s=(2, 2), p=(0, 0)), (5, 5), output_size.ROUND),
        (Geometry(n=(9, 9), f=(2, 2), s=(3, 3), p=(0, 0)), (4, 4), output_size.CEIL),
        (Geometry(n=(7, 6), f=(3, 3), s=(1, 1), p=(0, 0)), (4, 3), output_size.NO_PLUS_ONE),
        # The + 1 left out of h_out's line only: the width is right.
        (Geometry(n=(7, 7), f=(3, 3), s=(1, 1), p=(0, 0)), (4, 5), output_size.NO_PLUS_ONE),
        # n + p on both axes (7, 5) is named so, though the width alone would also fit "one short".
        (Geometry(n=(7, 6), f=(3, 3), s=(1, 1), p=(2, 1)), (7, 5), output_size.PADDING_ONCE),
    ],
)
def test_output_size_misconceptions_are_named(geometry: Geometry, got: tuple, text: str) -> None:
    right = tuple(
        (n + 2 * p - f) // s + 1 for n, f, s, p in zip(geometry.n, geometry.f, geometry.s, geometry.p)
    )
    assert name_output_size(geometry, _shape(*right), _shape(*got)) == text


def test_crashes_are_explained() -> None:
    def frame(code: str) -> list[dict]:
        return [{"code": code, "line": 3, "own": True}]

    case = {"b": None}

    class _Case(dict):
        def get(self, key, default=None):  # noqa: ANN001, ANN201
            return super().get(key, default)

    def geometry(_case: object) -> Geometry:
        return Geometry(n=(7, 5), f=(3, 3), s=(2, 2), p=(0, 0))

    floaty = {
        "type": "TypeError",
        "message": "'float' object cannot be interpreted as an integer",
        "frames": frame("out = np.zeros((n, c, h_out, w_out))"),
    }
    assert crashes.explain(floaty, _Case(case)) == crashes.FLOAT_SIZE
    asserted = {"type": "AssertionError", "message": "", "frames": frame("assert (H - kh) % s == 0")}
    # (7 − 3) % 2 == 0 but (5 − 3) % 2 == 0 too: nothing to explain; with W=6 the stride does not divide.
    assert crashes.explain(asserted, _Case(case), geometry) is None
    assert "Remove that check" in crashes.explain(
        asserted, _Case(case), lambda _c: Geometry(n=(7, 6), f=(3, 3), s=(2, 2), p=(0, 0))
    )
    bias = {
        "type": "ValueError",
        "message": "operands could not be broadcast together with shapes (1,2,3,3) (2,)",
        "frames": frame("out = out + b"),
    }
    assert crashes.explain(bias, _Case({"b": [1.0, 2.0]})) == crashes.BIAS_SHAPE
    negative = {
        "type": "ValueError",
        "message": "negative dimensions are not allowed",
        "frames": frame("out = np.zeros((n, c_out, h_out, w_out))"),
    }
    assert crashes.explain(negative, _Case(case)) == crashes.NEGATIVE_SIZE
    branches = {
        "type": "ValueError",
        "message": "operands could not be broadcast together with shapes (1,4,2,2) (1,4,4,4)",
        "frames": frame("return np.maximum(out + shortcut, 0.0)"),
    }
    assert crashes.explain(branches, _Case(case)) == crashes.BRANCHES_DIFFER
    reduced = {
        "type": "ValueError",
        "message": "could not broadcast input array from shape (1,2) into shape (1,1)",
        "frames": frame("out[:, :, i, j] = window.max(axis=(1, 2))"),
    }
    assert crashes.explain(reduced, _Case(case)) == crashes.REDUCED_WRONG_AXES
    # A window that runs short multiplies badly: that is not a reduction stored into the wrong shape.
    short = dict(reduced, message="operands could not be broadcast together with shapes (2,2) (3,3)")
    assert crashes.explain(short, _Case(case)) is None


def test_an_output_allocated_with_c_in_channels_is_explained() -> None:
    stored = {
        "type": "ValueError",
        "message": "could not broadcast input array from shape (2,4) into shape (2,3)",
        "frames": [{"code": "out[:, :, i, j] = np.tensordot(win, w, 3)", "line": 9, "own": True}],
    }
    case = {"x": np.zeros((2, 3, 5, 5)), "w": np.zeros((4, 3, 3, 3))}
    sentence = crashes.explain(stored, case)
    assert (
        sentence is not None and "3 channels, C_in = w.shape[1]" in sentence and "w.shape[0] = 4" in sentence
    )
    # Sizes that are not (N, C_out) into (N, C_in) are another bug.
    assert crashes.explain(dict(stored, message=stored["message"].replace("(2,4)", "(2,5)")), case) is None
    assert crashes.explain(stored, {"x": np.zeros((2, 4, 5, 5)), "w": np.zeros((4, 4, 3, 3))}) is None


def test_a_batch_axis_padded_too_is_explained() -> None:
    stored = {
        "type": "ValueError",
        "message": "could not broadcast input array from shape (4,3) into shape (2,3)",
        "frames": [{"code": "out[:, :, i, j] = np.einsum('ncab,ocab->no', win, w)", "line": 9, "own": True}],
    }
    case = {"x": np.zeros((2, 3, 5, 5)), "w": np.zeros((3, 3, 3, 3)), "padding": 1}
    sentence = crashes.explain(stored, case)
    assert sentence is not None and "np.pad(x, 1) pads EVERY axis" in sentence
    assert crashes.explain(stored, dict(case, padding=(0, 2))) is None  # N + 2p is 6, not 4
    assert crashes.explain(stored, dict(case, padding=0)) is None


def test_an_empty_window_is_explained_only_where_a_kernel_side_is_one() -> None:
    empty = {
        "type": "ValueError",
        "message": "zero-size array to reduction operation maximum which has no identity",
        "frames": [{"code": "out[:, :, i, j] = xp[:, :, t:b, l:r].max(axis=(2, 3))", "line": 9, "own": True}],
    }
    one_tall = Geometry(n=(4, 5), f=(1, 2), s=(1, 1), p=(0, 0))
    sentence = crashes.explain(empty, {}, lambda _c: one_tall)
    assert sentence is not None and "kernel is 1 row tall (kh = 1)" in sentence and "one short" in sentence
    # With no side of 1 the cause is not provable from the shapes; another error is no empty window.
    assert crashes.explain(empty, {}, lambda _c: Geometry(n=(4, 5), f=(2, 2), s=(1, 1), p=(0, 0))) is None
    other = dict(empty, message="operands could not be broadcast together with shapes (2,2) (3,3)")
    assert crashes.explain(other, {}, lambda _c: one_tall) is None


def test_sentences_name_the_item_of_a_tuple() -> None:
    variant = Path(__file__).parent / "variants" / "depthwise_separable_cost" / "wrong_depthwise_cout.py"
    result = run_check(course().exercise("depthwise_separable_cost"), variant, CheckOptions(derandomize=True))
    assert "gave the wrong separable cost" in result.message
    assert "item 0 is wrong" not in result.message and "item 1 is wrong" not in result.message


def test_file_elsewhere_imports_earlier_exercise_from_the_workspace(tmp_path: Path) -> None:
    """`tutor check residual_block --file PATH` with `from conv2d import conv2d` and no conv2d.py next to it."""
    library = tmp_path / "workspace" / "exercises"
    library.mkdir(parents=True)
    shutil.copy(SOLUTIONS / "conv2d.py", library / "conv2d.py")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    source = (SOLUTIONS / "residual_block.py").read_text(encoding="utf-8")
    (elsewhere / "residual_block.py").write_text(
        "from conv2d import conv2d  # noqa: F401\n" + source, encoding="utf-8"
    )
    exercise = course().exercise("residual_block")
    without = run_check(exercise, elsewhere / "residual_block.py", CheckOptions(derandomize=True))
    assert without.status is Status.IMPORT_ERROR
    assert "conv2d.py is your solution to an earlier exercise" in without.message
    found = run_check(
        exercise, elsewhere / "residual_block.py", CheckOptions(derandomize=True, library=library)
    )
    assert found.passed, found.message


def test_lenet_params_total_without_the_fc_biases_is_named() -> None:
    from torch import nn

    from tutor import models
    from tutor.questions import lenet_params

    q = lenet_params.TEXTBOOK
    model = lenet_params._build(q)
    total = models.count_parameters(model)
    fc_biases = sum(m.out_features for m in model.modules() if isinstance(m, nn.Linear))
    conv_biases = sum(m.out_channels for m in model.modules() if isinstance(m, nn.Conv2d))
    mistakes = lenet_params._mistakes(q)

    def hint_for(value: int) -> str:
        return next(m.hint for m in mistakes if m.part == "total" and value in m.values)

    assert "fully connected layers" in hint_for(total - fc_biases)
    assert "convolutional layers" in hint_for(total - conv_biases)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from click.testing import CliRunner

    from tutor.cli import cli

    result = CliRunner().invoke(cli, ["init", str(tmp_path / "ws"), "--student", "s123"])
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(tmp_path / "ws")
    return tmp_path / "ws"


def test_long_reproduce_snippet_is_saved_and_runs(workspace: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    from click.testing import CliRunner

    from tests.conftest import ROOT, VARIANTS
    from tutor.cli import cli

    # LeNet's counterexample is a 32×32 image: far too long to print.
    shutil.copy(VARIANTS / "lenet" / "wrong_forward_skips_net.py", workspace / "exercises" / "lenet.py")
    failed = CliRunner().invoke(cli, ["check", "lenet", "--json"], catch_exceptions=False)
    example = json.loads(failed.output)["counterexample"]
    assert example["reproduce_file"] == ".tutor/reproduce/lenet.py"
    shown = CliRunner().invoke(cli, ["check", "lenet"], catch_exceptions=False).output
    assert ".tutor/reproduce/lenet.py" in shown and "array(" not in shown.replace("np.array(", "")
    run = subprocess.run(
        [sys.executable, str(workspace / example["reproduce_file"])],
        cwd=workspace.parent,  # from anywhere
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]


def test_check_file_outside_the_workspace_finds_earlier_exercises(workspace: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tutor.cli import cli

    shutil.copy(SOLUTIONS / "conv2d.py", workspace / "exercises" / "conv2d.py")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    source = (SOLUTIONS / "residual_block.py").read_text(encoding="utf-8")
    (elsewhere / "residual_block.py").write_text(
        "from conv2d import conv2d  # noqa: F401\n" + source, encoding="utf-8"
    )
    result = CliRunner().invoke(
        cli,
        ["check", "residual_block", "--file", str(elsewhere / "residual_block.py")],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output


def test_a_constant_factor_is_named_whatever_the_formula() -> None:
    from tutor.checking import scale

    right = np.array([[1.0, -2.0], [0.0, 4.0]])
    # The factor may change with the input (kh instead of kh·kw is off by kw): each is a multiple.
    assert "1/4 times" in scale.explain([(right, right / 4), (2 * right, right / 3)])
    assert "opposite sign" in scale.explain([(right, -right)])
    # Right items of a tuple are left out of the sentence.
    assert "of your db is" in scale.explain([((right, right), (right, 2 * right))], ("dw", "db"))
    assert scale.explain([(right, right + 1)]) is None  # not a multiple
    assert scale.explain([(right, 2 * right), (right, right + 1)]) is None  # not on every input
    assert scale.explain([(np.array([0.0, 3.0]), np.array([0.0, 6.0]))]) is None  # one number says little

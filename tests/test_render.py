"""The visual diff of a failing check: expected and got side by side, the worst slice, shapes in words, pictures."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import png
import pytest
from rich.console import Console

from tests.conftest import check_file
from tutor import render
from tutor.checking.result import Counterexample, small_values
from tutor.diff_view import ArrayDiff, png_panels, shape_sentence, worst_slice
from tutor.pictures import Picture, Scale, save_png

ANSI = re.compile(r"\x1b\[[0-9;]*m")

FLIPPED_CORR2D = """\
import numpy as np


def corr2d(x, k):
    kh, kw = k.shape
    k = k[::-1, ::-1]
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = (x[i:i + kh, j:j + kw] * k).sum()
    return out
"""

# Forgets the padding: the output is too small, so the shapes differ.
UNPADDED_CONV2D = """\
import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    n, c, H, W = x.shape
    o, _, kh, kw = w.shape
    out = np.zeros((n, o, (H - kh) // sh + 1, (W - kw) // sw + 1))
    for i in range(out.shape[2]):
        for j in range(out.shape[3]):
            patch = x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
            out[:, :, i, j] = np.einsum("nchw,ochw->no", patch, w)
    if b is not None:
        out += b[None, :, None, None]
    return out
"""


def plain(renderable: object, width: int = 80) -> str:
    """What a pipe sees: no terminal, so no colour and no wide layout."""
    console = Console(file=io.StringIO(), width=width, force_terminal=False)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def terminal(renderable: object, width: int = 120, no_color: bool = False) -> str:
    console = Console(
        file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor", no_color=no_color
    )
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def example(
    expected: np.ndarray, got: np.ndarray, allowed: float | None = 1e-4, explanation: str | None = None
) -> Counterexample:
    return Counterexample(
        call="f(x)",
        arguments={"x": "…"},
        reproduce="…",
        expected_shape=expected.shape,
        got_shape=got.shape,
        expected_values=small_values(expected),
        got_values=small_values(got),
        allowed_error=allowed,
        shape_explanation=explanation,
    )


@pytest.fixture(scope="module")
def flipped(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    path = tmp_path_factory.mktemp("flipped") / "corr2d.py"
    path.write_text(FLIPPED_CORR2D, encoding="utf-8")
    return check_file("corr2d", path)


@pytest.fixture(scope="module")
def unpadded(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    path = tmp_path_factory.mktemp("unpadded") / "conv2d.py"
    path.write_text(UNPADDED_CONV2D, encoding="utf-8")
    return check_file("conv2d", path)


# -- equal shapes ---------------------------------------------------------------------------------------


def test_equal_shapes_counterexample_carries_small_arrays_as_json(flipped) -> None:  # noqa: ANN001
    assert flipped.status == "failed"
    example = flipped.first_failure().counterexample
    expected, got = np.array(example.expected_values), np.array(example.got_values)
    assert expected.shape == got.shape and expected.ndim == 2
    assert not np.allclose(expected, got)
    assert example.allowed_error and example.allowed_error > 0
    assert set(example.argument_values) == {"x", "k"}
    json.dumps(flipped.to_dict(), allow_nan=False)  # strict JSON: the arrays travel as plain lists


def test_equal_shapes_render_marks_exactly_the_differing_cells(flipped) -> None:  # noqa: ANN001
    from dataclasses import replace

    from tutor.checking.result import PropertyResult

    example = flipped.first_failure().counterexample
    if np.array(example.expected_values).size == 1:
        # The shrunk case is a single value: a sentence, not an index table (issue 13).
        text = plain(render.check_result(flipped), width=80)
        assert "Expected 1, yours is 0." in text and "* marks" not in text
        # Draw a multi-cell difference through the same renderer.
        bigger = replace(
            example,
            expected_values=[[1.0, 2.0], [3.0, 4.0]],
            got_values=[[1.0, 2.5], [3.0, 4.0]],
            expected_shape=(2, 2),
            got_shape=(2, 2),
        )
        failure = flipped.first_failure()
        properties = tuple(
            replace(p, counterexample=bigger) if p is failure else p for p in flipped.properties
        )
        flipped = replace(flipped, properties=properties)
        example = bigger
        assert isinstance(failure, PropertyResult)
    text = plain(render.check_result(flipped), width=80)
    assert "expected vs yours" in text and "* marks the cells that differ" in text
    expected, got = np.array(example.expected_values), np.array(example.got_values)
    wrong = int((np.abs(expected - got) > example.allowed_error).sum())
    # Each differing cell of "yours" carries one mark; nothing else in the diff section does.
    section = text.split("expected vs yours")[1].split("* marks")[0]
    assert section.count("*") == wrong


def test_side_by_side_only_on_a_wide_terminal() -> None:
    diff = ArrayDiff(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 2.0], [3.0, 5.0]]), 1e-4)
    wide = ANSI.sub("", terminal(diff, width=120))
    heading = next(line for line in wide.splitlines() if "expected" in line)
    assert "yours" in heading, "on a wide terminal expected and yours share a line"
    assert "\x1b[" in terminal(diff, width=120), "a terminal gets colour"
    narrow = plain(diff, width=120)
    assert not any("expected" in line and "yours" in line for line in narrow.splitlines()), (
        "no wide layout in a pipe"
    )
    assert "\x1b[" not in narrow
    assert "5*" in narrow and "4*" not in narrow


def test_no_color_terminal_marks_cells_instead_of_colouring() -> None:
    diff = ArrayDiff(np.array([[1.0, 2.0]]), np.array([[1.0, 9.0]]), 1e-4)
    out = terminal(diff, no_color=True)
    assert "9*" in ANSI.sub("", out)
    assert not re.search(r"\x1b\[[0-9;]*(3[0-7]|4[0-7]|38;|48;)", out), "NO_COLOR: no colour codes"


def test_four_d_shows_the_slice_with_the_worst_error() -> None:
    expected = np.zeros((2, 3, 2, 2))
    got = expected.copy()
    got[0, 2, 0, 0] = 0.5
    got[1, 1, 1, 0] = 3.0  # the worst error
    chosen = worst_slice(expected, got, 1e-4)
    assert chosen.label == "n=1, c=1" and chosen.worst == (1, 0)
    text = plain(ArrayDiff(expected, got, 1e-4))
    assert "slice n=1, c=1 of the 2×3×2×2 output" in text
    assert "3*" in text and "0.5" not in text


def test_nan_where_a_number_was_expected_is_a_differing_cell() -> None:
    expected, got = np.array([[1.0, 2.0]]), np.array([[1.0, np.nan]])
    ce = example(expected, got)
    assert ce.got_values == [[1.0, "nan"]]
    json.dumps(ce.got_values, allow_nan=False)
    assert "nan*" in plain(render._diff_view(ce))


def test_wide_arrays_become_pictures() -> None:
    expected = np.linspace(-1, 1, 6 * 40).reshape(6, 40)
    got = expected.copy()
    got[2, 30] = 5.0
    out = terminal(ArrayDiff(expected, got, 1e-4), width=100)
    assert "▀" in out and "where they differ" in out
    ramp = plain(ArrayDiff(expected, got, 1e-4), width=100)
    assert "▀" not in ramp and "x" in ramp.split("where they differ")[1]


# -- different shapes -------------------------------------------------------------------------------------


def test_shape_sentence_wording() -> None:
    explanation = "height 3 vs 4 — check ⌊(n+2p−f)/s⌋+1 with n=5, p=1, f=3, s=2."
    assert shape_sentence((1, 2, 4, 4), (1, 2, 3, 3), explanation) == (
        "your output is (1, 2, 3, 3), expected (1, 2, 4, 4): height 3 vs 4 — check ⌊(n+2p−f)/s⌋+1 with n=5, p=1, f=3, s=2."
    )
    assert shape_sentence((2, 3), (2, 3, 1), None).endswith("yours has 3 dimensions, the answer has 2.")
    assert shape_sentence((4, 5), (4, 6), None).endswith("axis 1: 6 vs 5.")


def test_different_shapes_explained_in_words_from_a_real_check(unpadded) -> None:  # noqa: ANN001
    assert unpadded.status == "wrong_shape"
    ce = unpadded.first_failure().counterexample
    assert ce.shape_explanation and "— check ⌊(n+2p−f)/s⌋+1 with n=" in ce.shape_explanation
    text = plain(render.check_result(unpadded), width=200)
    sentence = f"your output is {tuple(ce.got_shape)}, expected {tuple(ce.expected_shape)}: "
    assert sentence in text
    assert re.search(
        r"(height|width) \d+ vs \d+ — check ⌊\(n\+2p−f\)/s⌋\+1 with n=\d+, p=\d+, f=\d+, s=\d+", text
    )
    assert text.count("your output is") == 1, "said once, not repeated"


def test_different_small_shapes_show_both_arrays() -> None:
    ce = example(
        np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 2.0]]), explanation="height 1 vs 2 — check it."
    )
    text = plain(render._diff_view(ce))
    assert "your output is (1, 2), expected (2, 2): height 1 vs 2" in text
    assert "expected (2, 2)" in text and "yours (1, 2)" in text and "*" not in text


def test_empty_output_keeps_its_shape() -> None:
    ce = example(np.zeros((1, 1)), np.zeros((0, 1)))
    assert ce.got_values == []
    assert "your output is (0, 1), expected (1, 1)" in plain(render._diff_view(ce))


# -- pictures -----------------------------------------------------------------------------------------------


def test_picture_half_blocks_and_ramp() -> None:
    values = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]])
    coloured = terminal(Picture(values, Scale("gray", 0.0, 1.0)))
    assert coloured.count("▀") == 2 * 2 * 2, "3 rows fold into 2 lines of 2 pixels, each 2 characters wide"
    ramp = [line.rstrip() for line in plain(Picture(values, Scale("gray", 0.0, 1.0))).splitlines()]
    assert ramp == ["  @@", "@@", "++++"], "one character pair per value, darker characters for larger values"


def test_save_png_writes_a_readable_png(tmp_path: Path, flipped) -> None:  # noqa: ANN001
    real = png_panels(flipped.first_failure().counterexample)
    assert [title for title, *_ in real] == ["input x", "input k", "expected", "yours", "difference"]
    expected = np.arange(12.0).reshape(3, 4)
    got = expected.copy()
    got[1, 2] = -7.0
    panels = png_panels(example(expected, got))
    target = save_png(tmp_path / "diff.png", [(array, scale) for _, array, scale in panels])
    width, height, rows, info = png.Reader(filename=str(target)).read()
    rows = [list(r) for r in rows]
    assert info["planes"] == 3 and len(rows) == height
    # The "where they differ" panel is the rightmost: some amber, some pale pixels.
    colours = {tuple(rows[y][x : x + 3]) for y in range(height) for x in range(0, width * 3, 3)}
    assert (255, 160, 0) in colours and (225, 225, 225) in colours
    assert (width, height) == (8 + 3 * (4 * 16 + 8), 3 * 16 + 16), (
        "three 3×4 panels of 16-pixel squares with 8-pixel gaps"
    )


def _png(path: Path) -> np.ndarray:
    width, height, rows, info = png.Reader(filename=str(path)).read()
    assert info["planes"] == 3
    return np.array([list(r) for r in rows], dtype=np.uint8).reshape(height, width, 3)


def test_counterexample_png_is_labelled_framed_and_scaled_up(tmp_path: Path) -> None:
    from tutor.checking.result import CheckResult, PropertyResult, Status
    from tutor.diff_view import save_counterexample_png
    from tutor.pictures import FONT, FRAME, LABEL_INK, LABEL_SCALE, PNG_GAP, cell_pixels, label_pixels

    # A binary 3×3 answer: its 1s are the top of the grey scale, i.e. white.
    expected = np.array([[0.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 0.0]])
    got = expected.copy()
    got[0, 0] = 1.0
    ce = replace_args(example(expected, got), {"x": np.arange(25.0).reshape(5, 5).tolist()})
    failure = PropertyResult("p", Status.FAILED, "wrong", 1, ce)
    result = CheckResult("corr2d", Status.FAILED, "wrong", "corr2d.py", (failure,))
    said = save_counterexample_png(result, tmp_path / "c.png")
    assert said.endswith("input x | expected | yours | difference (left to right).")
    page = _png(tmp_path / "c.png")
    pixel = cell_pixels((5, 5))
    assert pixel >= 32, "a 5×5 input is scaled up to be read"
    # Labels: the label band holds each title's glyphs, drawn in the label ink, left to right.
    band = page[PNG_GAP : PNG_GAP + 5 * LABEL_SCALE]
    ink_columns = np.flatnonzero((band == LABEL_INK).all(axis=2).any(axis=0))
    assert ink_columns.size and set(FONT) >= set("INPUT XEXPECTEDYOURSDIFFERENCE")
    first = label_pixels("input x")
    assert (band[:, 2 * PNG_GAP : 2 * PNG_GAP + first.shape[1]] == first).all(), "'INPUT X' is written first"
    # Values stay visible: every panel is framed, and the expected panel's white cells sit inside a frame.
    frame_rows = np.flatnonzero((page == FRAME).all(axis=2).sum(axis=1) > 3 * pixel)
    assert frame_rows.size >= 2, "a dark frame above and below the panels"
    top = frame_rows[0]
    line = page[top + 2 + pixel // 2]  # through the middle of the first row of cells
    framed = (line == FRAME).all(axis=1)
    runs = int(np.count_nonzero(framed[1:] & ~framed[:-1]) + framed[0])
    assert runs == 2 * 4, "each of the four panels has a frame edge on its left and its right"
    white = (line == 255).all(axis=1)
    assert white[framed.argmax() : len(line) - framed[::-1].argmax()].any(), "white cells, inside frames"
    assert page.shape[0] > top + 5 * pixel and page.shape[1] > 4 * 3 * pixel


def replace_args(ce: Counterexample, arguments: dict) -> Counterexample:
    from dataclasses import replace

    return replace(ce, argument_values=arguments)


# -- the command line: --save-png, the dashboard, the finished course, the list at 80 columns -------------


def test_check_save_png_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from tutor.cli import cli

    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path / "ws")]).exit_code == 0
    monkeypatch.chdir(tmp_path / "ws")
    Path("exercises/corr2d.py").write_text(FLIPPED_CORR2D, encoding="utf-8")
    result = runner.invoke(cli, ["check", "corr2d", "--save-png", "diff.png"])
    assert result.exit_code == 1
    assert "Saved diff.png: input x | input k | expected | yours | difference" in " ".join(
        result.output.split()
    )
    assert png.Reader(filename="diff.png").read()[3]["planes"] == 3


def rows_in(states: dict[str, object]) -> list:
    from tutor.catalog import course
    from tutor.core import ExerciseRow
    from tutor.workspace import ExerciseState

    return [ExerciseRow(e, states.get(e.id, ExerciseState.NOT_STARTED)) for e in course().exercises]  # type: ignore[arg-type]


def test_dashboard_progress_next_exercise_and_command() -> None:
    from tutor.catalog import course
    from tutor.workspace import ExerciseState

    the_course = course()
    first, second = the_course.exercises[0], the_course.exercises[1]
    rows = rows_in({first.id: ExerciseState.DONE, second.id: ExerciseState.FAILING})
    text = plain(render.dashboard(the_course, rows, second), width=80)
    assert f"1/{len(rows)} exercises done" in text
    assert re.search(r"Session 1\s+█+░+\s+1/\d+ done", text)
    assert second.id in text and second.title.split()[0] in text
    command, _ = render.suggested_command(second, ExerciseState.FAILING)
    assert command in text


def test_finished_course_says_so_and_shows_a_grade_estimate() -> None:
    from tutor.catalog import course
    from tutor.workspace import ExerciseState

    the_course = course()
    rows = rows_in({e.id: ExerciseState.DONE for e in the_course.exercises})
    text = " ".join(plain(render.dashboard(the_course, rows, None), width=100).split())
    total = sum(e.points for e in the_course.exercises)
    assert "You finished the course" in text
    assert f"Grade (estimate): {total}/{total} points" in text and "tutor grade" in text


def test_list_reads_well_at_80_columns() -> None:
    from tutor.catalog import course
    from tutor.core import next_exercise

    the_course = course()
    rows = rows_in({})
    upcoming = next_exercise(rows)
    lines = plain(
        render.course_table(the_course, rows, upcoming.id if upcoming else None), width=80
    ).splitlines()
    assert all(len(line) <= 80 for line in lines)
    for exercise in the_course.exercises:  # every id on one line, never cut
        assert any(re.search(rf"\b{exercise.order + 1}\s+{exercise.id}\b", line) for line in lines), (
            exercise.id
        )
    assert "Topic" not in "\n".join(lines), "the Topic column is for wide terminals only"
    wide = ANSI.sub("", terminal(render.course_table(the_course, rows, None), width=140))
    assert "Topic" in wide


# -- LeNet stages: one line of diagnosis, then the worst (n, c) slice -------------------------------------


def test_lenet_stage_failure_is_a_diagnosis_and_the_worst_slice(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from tests.conftest import VARIANTS
    from tutor.checks import lenet

    # The stage property alone: training the wrong model as well adds seconds and says nothing here.
    stages = tuple(p for p in lenet.CHECK.properties if p.function == "lenet_stages")
    monkeypatch.setattr(lenet, "CHECK", replace(lenet.CHECK, properties=stages))
    result = check_file("lenet", VARIANTS / "lenet" / "wrong_relu.py")
    failure = result.first_failure()
    assert failure.diagnosis is not None and "\n" not in failure.diagnosis
    assert failure.diagnosis.startswith("Your stage 1 (sigmoid 1) matches ReLU")
    example = failure.counterexample
    n, c, *_ = (int(i) for i in example.worst_index.strip("()").split(","))
    assert example.values_slice == f"n={n}, c={c}" and tuple(example.expected_shape) == (1, 6, 28, 28)
    assert np.array(example.expected_values).shape == np.array(example.got_values).shape == (28, 28)
    assert example.expected is None and example.got is None, "no printout of the whole stage"
    json.dumps(result.to_dict(), allow_nan=False)

    text = plain(render.check_result(result), width=100)
    diff = text.split("expected vs yours")[1].split("reproduce it in Python")[0]
    assert f"slice n={n}, c={c} of the 1×6×28×28 output" in diff and "around the worst cell" in diff
    assert len(diff.splitlines()) < 30 and "[[" not in diff
    for width in (120, 200):  # the window of cells; three 28-wide pictures side by side
        coloured = ANSI.sub("", terminal(render.check_result(result), width=width))
        diff = coloured.split("expected vs yours")[1].split("reproduce it in Python")[0]
        assert len(diff.splitlines()) < 30 and ("▀" in diff) == (width == 200)


# -- diff marks follow the tolerance that decided the verdict ---------------------------------------------


def test_sigmoid_tail_marks_the_cell_the_relative_tolerance_failed_on() -> None:
    from tests.conftest import VARIANTS

    result = check_file("activations", VARIANTS / "activations" / "wrong_sigmoid_naive.py")
    failure = result.first_failure()
    assert failure.name.startswith("sigmoid is exact in its far tails")
    example = failure.counterexample
    assert example.allowed_relative_error == 1e-6
    expected, got = np.array(example.expected_values), np.array(example.got_values)
    # The verdict's own rule, cell by cell: 2e−313 vs 0 is wrong although it is far below 1e−6.
    verdict = np.abs(got - expected) > example.allowed_error + example.allowed_relative_error * np.abs(
        expected
    )
    assert verdict.any() and np.abs(got - expected)[verdict].max() < 1e-300
    chosen = worst_slice(np.atleast_2d(expected), np.atleast_2d(got), example.allowed_error, 1e-6)
    assert (chosen.differs[0] == verdict).all() and chosen.worst == (0, int(np.argmax(verdict)))
    text = plain(render.check_result(result), width=100)
    section = text.split("expected vs yours")[1].split("* marks")[0]
    assert section.count("*") == int(verdict.sum())
    json.dumps(result.to_dict(), allow_nan=False)


def test_relative_tolerance_finds_the_worst_cell_among_rounding_errors() -> None:
    expected = np.array([[0.5, 0.25, 2e-313]])
    got = np.array([[0.5 + 1e-16, 0.25 - 1e-17, 0.0]])
    absolute = worst_slice(expected, got, 1e-6)
    assert not absolute.differs.any(), "an absolute bound sees nothing wrong"
    relative = worst_slice(expected, got, 1e-320, 1e-6)
    assert relative.differs.tolist() == [[False, False, True]] and relative.worst == (0, 2)
    assert "0*" in plain(ArrayDiff(expected, got, 1e-320, relative=1e-6))

"""max_pool2d and avg_pool2d under `tutor show`: the sample image with its pooling windows coloured
in, the student's pooled output next to it (never the reference's), and the tints that draw them."""

from __future__ import annotations

import importlib.util
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from tests.conftest import SOLUTIONS
from tests.test_fast_commands import PROBE
from tutor import render
from tutor.catalog import course
from tutor.pictures import Picture, Scale, Tint
from tutor.previews import _pooling as pooling
from tutor.previews import preview
from tutor.workspace import Workspace, find_workspace, init_workspace

IDS = ("max_pool2d", "avg_pool2d")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    init_workspace(tmp_path / "ws", course())
    return find_workspace(tmp_path / "ws")


def _write(workspace: Workspace, exercise_id: str, source: str) -> None:
    workspace.exercise_file(course().exercise(exercise_id)).write_text(source, encoding="utf-8")


def _solution(exercise_id: str):  # noqa: ANN202 - the trusted reference solution, imported in this process
    spec = importlib.util.spec_from_file_location(f"solution_{exercise_id}", SOLUTIONS / f"{exercise_id}.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return getattr(module, exercise_id)


def _titles(shown) -> list[str]:  # noqa: ANN001
    return [p.title for p in shown.pictures]


def _console(width: int, **options: object) -> Console:
    return Console(file=io.StringIO(), width=width, **options)  # type: ignore[arg-type]


def _print(renderable: object, console: Console) -> str:
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


# -- the sample and its windows ------------------------------------------------------------------------


def test_sample_windows_at_the_border_are_all_negative_so_the_padding_value_matters() -> None:
    image = pooling.sample_image()
    assert image.shape == (pooling.SIZE, pooling.SIZE)
    assert image.min() > -1.0 and image.max() <= 1.0, "inside the fixed scale, and −inf stays darker"
    assert image[0, :].max() < 0 and image[:, 0].max() < 0 and image[-1, :].max() < 0
    assert (image > 0.5).sum() > 30, "a bright square and a line to pool"
    assert pooling.OUT == 8


@pytest.mark.parametrize("kind", [pooling.MAX, pooling.AVG], ids=IDS)
def test_window_tints_cover_exactly_the_pixels_each_output_pixel_pools(kind: pooling.Pooling) -> None:
    shown = pooling.padded(pooling.sample_image(), kind)
    assert shown.shape == (pooling.SIZE + 2, pooling.SIZE + 2)
    assert shown[0, 0] == kind.pad_value and shown[1, 1] == pooling.sample_image()[0, 0]
    ring, *windows = pooling.window_tints(shown.shape)
    assert ring.mask.sum() == 4 * (pooling.SIZE + 1) and ring.label == pooling.PAD_LABEL
    for tint, (i, j) in zip(windows, pooling.WINDOWS):
        rows, cols = np.nonzero(tint.mask)
        # Output [i, j] pools padded rows i·s … i·s+k−1 and the same columns.
        assert (rows.min(), rows.max()) == (i * pooling.STRIDE, i * pooling.STRIDE + pooling.KERNEL - 1)
        assert (cols.min(), cols.max()) == (j * pooling.STRIDE, j * pooling.STRIDE + pooling.KERNEL - 1)
        assert tint.mask.sum() == pooling.KERNEL**2
    assert not (sum(t.mask.astype(int) for t in windows) > 1).any(), "the coloured windows do not overlap"
    assert (windows[0].mask & ring.mask).sum() == 5, "the corner window is mostly padding"
    outputs = pooling.output_tints()
    assert [tuple(np.argwhere(t.mask)[0]) for t in outputs] == list(pooling.WINDOWS)
    assert [t.label for t in outputs] == [t.label for t in windows] == ["1", "2", "3"]


# -- the picture capability ------------------------------------------------------------------------------


def test_a_tint_mixes_its_colour_in_and_labels_its_pixels_without_colour() -> None:
    values = np.array([[0.0, 1.0], [1.0, 0.0]])
    mask = np.array([[True, False], [False, False]])
    picture = Picture(values, Scale("gray", 0.0, 1.0), tints=[Tint(mask, (255, 0, 0), "1", 0.5)])
    assert picture._pixel(0, 0) == (148, 20, 20), "half of black (40) and half of red"
    assert picture._pixel(0, 1) == (255, 255, 255), "untinted pixels keep their colour"
    ramp = [line.rstrip() for line in _print(picture, _console(20, force_terminal=False)).splitlines()]
    assert ramp == ["1 @@", "@@"], "the label first, the value's character second"
    with pytest.raises(ValueError, match="one-character label"):
        Picture(values, tints=[Tint(np.ones((3, 3), dtype=bool), (0, 0, 0), "1")])


def test_pictures_without_tints_draw_as_before() -> None:
    values = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]])
    ramp = _print(Picture(values, Scale("gray", 0.0, 1.0)), _console(20, force_terminal=False))
    assert [line.rstrip() for line in ramp.splitlines()] == ["  @@", "@@", "++++"]


# -- the previews -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", IDS)
def test_stub_shows_the_input_with_its_windows_and_a_note(workspace: Workspace, exercise_id: str) -> None:
    shown = preview(course().exercise(exercise_id), workspace)
    assert shown is not None
    assert len(shown.pictures) == 1 and shown.pictures[0].title.startswith("input x, padded with")
    assert len(shown.pictures[0].tints) == 1 + len(pooling.WINDOWS)
    assert any("as soon as" in note and exercise_id in note for note in shown.notes), shown.notes
    assert not any("Your values" in note for note in shown.notes)


@pytest.mark.parametrize("exercise_id", IDS)
def test_solution_shows_the_students_output_next_to_the_input(workspace: Workspace, exercise_id: str) -> None:
    _write(workspace, exercise_id, (SOLUTIONS / f"{exercise_id}.py").read_text(encoding="utf-8"))
    shown = preview(course().exercise(exercise_id), workspace)
    assert _titles(shown) == [shown.pictures[0].title, f"your {exercise_id}"]
    image = pooling.sample_image()
    expected = _solution(exercise_id)(image[None, None], 3, 2, 1)[0, 0]
    out = shown.pictures[1].values
    assert out.shape == (pooling.OUT, pooling.OUT) and np.allclose(out, expected)
    assert [t.label for t in shown.pictures[1].tints] == ["1", "2", "3"]
    assert any(note.startswith("Your values there: 1 → ") for note in shown.notes)
    assert any(f"tutor check {exercise_id}" in note for note in shown.notes)


def test_the_output_is_the_students_even_when_it_is_wrong(workspace: Workspace) -> None:
    """Max pooling padded with zeros: the corner window, all negative in the image, gives 0."""
    source = (SOLUTIONS / "max_pool2d.py").read_text(encoding="utf-8")
    wrong = source.replace("constant_values=-np.inf", "constant_values=0")
    assert wrong != source
    _write(workspace, "max_pool2d", wrong)
    shown = preview(course().exercise("max_pool2d"), workspace)
    out = shown.pictures[1].values
    assert out[0, 0] == 0.0 and (out[0, :] == 0.0).all(), "zeros won the max all along the top border"
    assert pooling.sample_image()[:2, :2].max() < 0
    assert any("1 → 0," in note for note in shown.notes), shown.notes


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("def max_pool2d(:\n", "could not be run"),
        ("import numpy as np\nraise RuntimeError('boom')\n", "RuntimeError"),
        ("import numpy as np\ndef helper():\n    return 1\n", "defines no max_pool2d()"),
        (
            "import numpy as np\ndef max_pool2d(x, kernel_size, stride=None, padding=0):\n    raise KeyError(1)\n",
            "raised KeyError",
        ),
        (
            "import numpy as np\ndef max_pool2d(x, kernel_size, stride=None, padding=0):\n    return x\n",
            "not a (1, 1, 8, 8) array",
        ),
        (
            "import numpy as np\ndef max_pool2d(x, kernel_size, stride=None, padding=0):\n"
            "    raise NotImplementedError\n",
            "not written yet",
        ),
        (
            "import numpy as np\ndef max_pool2d(x, kernel_size, stride=None, padding=0):\n"
            "    while True:\n        pass\n",
            "could not be run",
        ),
    ],
    ids=["syntax error", "raises on import", "no function", "raises", "wrong shape", "not written", "hangs"],
)
def test_broken_file_shows_only_the_input_and_a_note(
    workspace: Workspace, source: str, fragment: str
) -> None:
    _write(workspace, "max_pool2d", source)
    shown = preview(course().exercise("max_pool2d"), workspace)
    assert len(shown.pictures) == 1
    assert any(fragment in note for note in shown.notes), shown.notes


def test_without_a_workspace_only_the_input() -> None:
    shown = preview(course().exercise("avg_pool2d"), None)
    assert len(shown.pictures) == 1 and "inside your workspace" in shown.notes[-1]


# -- how it reads -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 120])
def test_colour_terminal_draws_half_blocks_side_by_side(workspace: Workspace, width: int) -> None:
    _write(workspace, "max_pool2d", (SOLUTIONS / "max_pool2d.py").read_text(encoding="utf-8"))
    shown = preview(course().exercise("max_pool2d"), workspace)
    text = _print(render.preview(shown), _console(width, force_terminal=True, color_system="truecolor"))
    plain = ANSI.sub("", text)
    assert "input x, padded with −inf" in plain and "your max_pool2d" in plain
    titles = next(line for line in plain.splitlines() if "input x" in line)
    assert "your max_pool2d" in titles, "the output sits beside the input, on the same lines"
    assert text.count("▀") == (pooling.SIZE + 2) ** 2 + pooling.OUT**2
    assert "38;2;0;190;255" not in text, "tints are mixed in, not painted over the values"


@pytest.mark.parametrize(
    "options",
    [{"force_terminal": False}, {"force_terminal": True, "no_color": True}],
    ids=["pipe", "NO_COLOR"],
)
def test_without_colour_the_windows_are_numbered_and_values_still_read(
    workspace: Workspace, options: dict
) -> None:
    _write(workspace, "avg_pool2d", (SOLUTIONS / "avg_pool2d.py").read_text(encoding="utf-8"))
    shown = preview(course().exercise("avg_pool2d"), workspace)
    text = _print(render.preview(shown), _console(80, **options))
    assert "▀" not in text and "38;2" not in text and "48;2" not in text
    text = ANSI.sub("", text)  # bold titles may stay under NO_COLOR; colour may not
    rows = [line for line in text.splitlines() if line.startswith("│ ") and ("·" in line or "1" in line)]
    first = rows[0]
    assert first.startswith("│ 1+1+1+·+·+"), "window 1 over the zero padding (+ is 0 on the ramp)"
    assert sum(line.count("2") for line in text.splitlines()) >= 9 + 1
    assert "@" in text, "the bright square still shows"


@pytest.mark.parametrize("exercise_id", IDS)
@pytest.mark.parametrize("solved", [False, True], ids=["stub", "solution"])
def test_show_does_not_import_torch_or_hypothesis(tmp_path: Path, exercise_id: str, solved: bool) -> None:
    subprocess.run([sys.executable, "-c", PROBE, "init", "ws"], cwd=tmp_path, check=True, capture_output=True)
    if solved:
        (tmp_path / "ws" / "exercises" / f"{exercise_id}.py").write_text(
            (SOLUTIONS / f"{exercise_id}.py").read_text(encoding="utf-8")
        )
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "show", exercise_id],
        cwd=tmp_path / "ws",
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "80"},
    )
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("HEAVY=")] == ["HEAVY="]
    shown = done.stdout.split(f"Your {exercise_id} on a sample image")[1]
    assert ("Your values there" in shown) is solved
    assert "\x1b[" not in done.stdout

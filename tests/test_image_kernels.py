"""image_kernels beyond the variants: its `tutor show` pictures, and the kernel checks' edges."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SOLUTIONS, STUBS
from tests.test_fast_commands import PROBE
from tutor.catalog import course
from tutor.pictures import Picture
from tutor.previews import image_kernels as pictures
from tutor.previews import preview
from tutor.workspace import Workspace, find_workspace, init_workspace

EXERCISE = course().exercise("image_kernels")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    init_workspace(tmp_path / "ws", course())
    return find_workspace(tmp_path / "ws")


def _write(workspace: Workspace, source: str) -> None:
    workspace.exercise_file(EXERCISE).write_text(source, encoding="utf-8")


def _titles(shown) -> list[str]:  # noqa: ANN001
    return [p.title for p in shown.pictures if isinstance(p, Picture)]


def test_sample_image_has_vertical_and_horizontal_edges() -> None:
    image = pictures.sample_image()
    assert image.shape == (pictures.HEIGHT, pictures.WIDTH)
    assert (np.abs(np.diff(image, axis=1)) > 0.5).any() and (np.abs(np.diff(image, axis=0)) > 0.5).any()
    assert image.min() >= 0.0 and image.max() <= 1.0


def test_apply_is_cross_correlation_without_flip() -> None:
    image = np.arange(12.0).reshape(3, 4)
    right_neighbour = np.zeros((3, 3))
    right_neighbour[1, 2] = 1.0
    out = pictures.apply(image, right_neighbour)
    assert out.shape == image.shape
    assert out[1, 1] == image[1, 2] and out[1, 3] == image[1, 3]  # the border repeats outward


def test_stub_shows_only_the_sample_image(workspace: Workspace) -> None:
    shown = preview(EXERCISE, workspace)
    assert shown is not None
    assert _titles(shown) == ["sample image"]
    assert any("as soon as the functions" in note for note in shown.notes)


def test_solution_shows_every_kernel_and_sobel_x_lights_up_dark_to_bright(workspace: Workspace) -> None:
    _write(workspace, (SOLUTIONS / "image_kernels.py").read_text(encoding="utf-8"))
    shown = preview(EXERCISE, workspace)
    assert _titles(shown) == ["sample image", *EXERCISE.functions]
    sobel_x = next(p for p in shown.pictures if isinstance(p, Picture) and p.title == "sobel_x").values
    image = pictures.sample_image()
    assert (
        sobel_x[6, 1] > 0 and sobel_x[6, 8] < 0
    )  # the square's left edge is dark to bright, its right edge bright to dark
    assert abs(sobel_x[4, 4]) < 1e-12  # flat inside the square
    assert np.allclose(next(p.values for p in shown.pictures if p.title == "identity"), image)


def test_partial_file_shows_what_works_and_says_what_is_missing(workspace: Workspace) -> None:
    stub = (STUBS / "image_kernels.py").read_text(encoding="utf-8")
    _write(
        workspace,
        stub.replace(
            "    # TODO: return a (3, 3) float array with one 1 in the right place.\n    raise NotImplementedError",
            "    return np.pad(np.ones((1, 1)), 1)",
        ),
    )
    shown = preview(EXERCISE, workspace)
    assert _titles(shown) == ["sample image", "identity"]
    assert sum("not written yet" in note for note in shown.notes) == 5


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("def identity(:\n", "could not be run"),
        ("import numpy as np\nraise RuntimeError('boom')\n", "RuntimeError"),
        (
            "import numpy as np\n"
            + "".join(f"def {f}():\n    return [[1, 2, 3]]\n" for f in EXERCISE.functions),
            "not a (3, 3) array",
        ),
        (
            "import numpy as np\n"
            + "".join(f"def {f}():\n    while True:\n        pass\n" for f in EXERCISE.functions),
            "could not be run",
        ),
    ],
    ids=["syntax error", "raises on import", "lists", "hangs"],
)
def test_broken_file_shows_no_kernel_picture(workspace: Workspace, source: str, fragment: str) -> None:
    _write(workspace, source)
    shown = preview(EXERCISE, workspace)
    assert _titles(shown) == ["sample image"]
    assert any(fragment in note for note in shown.notes), shown.notes


def test_no_workspace_shows_the_sample_image_and_says_where_to_run_it() -> None:
    shown = preview(EXERCISE, None)
    assert _titles(shown) == ["sample image"] and "inside your workspace" in shown.notes[0]


def test_exercises_without_a_preview_have_none() -> None:
    assert preview(course().exercise("corr2d"), None) is None


@pytest.mark.parametrize("solved", [False, True], ids=["stub", "solution"])
def test_show_does_not_import_torch_or_hypothesis(tmp_path: Path, solved: bool) -> None:
    subprocess.run([sys.executable, "-c", PROBE, "init", "ws"], cwd=tmp_path, check=True, capture_output=True)
    if solved:
        (tmp_path / "ws" / "exercises" / "image_kernels.py").write_text(
            (SOLUTIONS / "image_kernels.py").read_text(encoding="utf-8")
        )
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "show", "image_kernels"],
        cwd=tmp_path / "ws",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("HEAVY=")] == ["HEAVY="]
    assert ("sobel_x" in done.stdout.split("Your kernels on a sample image")[1]) is solved


def test_kernel_shape_and_dtype_messages() -> None:
    from tutor.checks.image_kernels import kernel_problem

    assert "brackets too many" in kernel_problem(np.zeros((1, 3, 3))).message
    assert "3 × 3" in kernel_problem(np.zeros((5, 5))).message
    assert "float arrays" in kernel_problem(np.zeros((3, 3), dtype=int)).message
    assert "NumPy array" in kernel_problem([[0.0] * 3] * 3).message
    assert kernel_problem(np.zeros((3, 3), dtype=np.float32)) is None

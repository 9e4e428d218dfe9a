"""augmentation beyond the variants: its `tutor show` pictures, the offsets its check covers, and
code that is not reproducible (np.random's global state) diagnosed rather than crashing the check."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SOLUTIONS, VARIANTS
from tests.test_fast_commands import PROBE
from tutor.catalog import course
from tutor.checking.engine import CheckOptions, run_check
from tutor.checks import augmentation as check
from tutor.previews import augmentation as pictures
from tutor.previews import preview
from tutor.workspace import Workspace, find_workspace, init_workspace

EXERCISE = course().exercise("augmentation")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    init_workspace(tmp_path / "ws", course())
    return find_workspace(tmp_path / "ws")


def _write(workspace: Workspace, source: str) -> None:
    workspace.exercise_file(EXERCISE).write_text(source, encoding="utf-8")


def _titles(shown) -> list[str]:  # noqa: ANN001
    return [p.title for p in shown.pictures]


def _solution():  # noqa: ANN202 - the trusted reference solution, imported in this process
    spec = importlib.util.spec_from_file_location("solution_augmentation", SOLUTIONS / "augmentation.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_sample_image_is_colour_in_range_and_not_symmetric() -> None:
    image = pictures.sample_image()
    assert image.shape == (3, pictures.HEIGHT, pictures.WIDTH)
    assert image.min() >= 0.0 and image.max() <= 1.0
    assert not np.array_equal(image, image[:, :, ::-1]), "a flip must be visible"
    assert not np.allclose(image[0], image[2]), "the channels differ: it is a colour picture"


def test_stub_shows_only_the_sample_image(workspace: Workspace) -> None:
    shown = preview(EXERCISE, workspace)
    assert shown is not None and _titles(shown) == ["sample image x"]
    assert any("as soon as the functions" in note for note in shown.notes)


def test_solution_shows_reproducible_augmented_samples(workspace: Workspace) -> None:
    _write(workspace, (SOLUTIONS / "augmentation.py").read_text(encoding="utf-8"))
    shown = preview(EXERCISE, workspace)
    assert _titles(shown) == ["sample image x"] + [f"augment, seed {s}" for s in pictures.SEEDS]
    reference = _solution()
    image = pictures.sample_image()
    for picture, seed in zip(shown.pictures[1:], pictures.SEEDS):
        expected = reference.augment(image, seed, padding=pictures.PADDING, jitter=pictures.JITTER)
        assert np.allclose(picture.rgb, expected)
    assert len({picture.rgb.tobytes() for picture in shown.pictures}) == len(shown.pictures)
    again = preview(EXERCISE, workspace)
    assert all(np.array_equal(a.rgb, b.rgb) for a, b in zip(shown.pictures, again.pictures))


def test_without_augment_each_written_function_is_shown_on_its_own(workspace: Workspace) -> None:
    stub = workspace.exercise_file(EXERCISE).read_text(encoding="utf-8")
    written = stub.replace(
        "    # TODO: reverse the width axis only, and return a new array.\n    raise NotImplementedError",
        "    return x[:, :, ::-1].copy()",
    )
    assert written != stub
    _write(workspace, written)
    shown = preview(EXERCISE, workspace)
    assert _titles(shown) == ["sample image x", "hflip(x)"]
    assert np.array_equal(shown.pictures[1].rgb, pictures.sample_image()[:, :, ::-1])
    assert any("random_crop() is not written yet" in note for note in shown.notes)


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("def hflip(:\n", "could not be run"),
        (
            "import numpy as np\ndef augment(x, rng, padding=4, jitter=0.4):\n    return 'a picture'\n",
            "not a (3, 14, 16) array",
        ),
        (
            "import numpy as np\ndef augment(x, rng, padding=4, jitter=0.4):\n    return x * 3\n",
            "outside [0, 1]",
        ),
        (
            "import numpy as np\ndef augment(x, rng, padding=4, jitter=0.4):\n    raise ValueError('no')\n",
            "raised ValueError",
        ),
    ],
)
def test_broken_files_get_a_note(workspace: Workspace, source: str, words: str) -> None:
    _write(workspace, source)
    shown = preview(EXERCISE, workspace)
    assert shown.pictures[0].title == "sample image x"
    assert any(words in note for note in shown.notes), shown.notes


def test_without_a_workspace_only_the_sample() -> None:
    shown = preview(EXERCISE, None)
    assert _titles(shown) == ["sample image x"] and "inside your workspace" in shown.notes[0]


def test_show_runs_the_students_code_without_torch_or_hypothesis(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-c", PROBE, "init", "ws"], cwd=tmp_path, check=True, capture_output=True)
    (tmp_path / "ws" / "exercises" / "augmentation.py").write_text(
        (SOLUTIONS / "augmentation.py").read_text(encoding="utf-8")
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "show", "augmentation"],
        cwd=tmp_path / "ws",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("HEAVY=")] == ["HEAVY="]
    assert "augment, seed 3" in done.stdout and "for seeds 0, 1, 2, 3" in done.stdout


# -- the check itself ---------------------------------------------------------------------------------


def test_explicit_crops_reach_every_offset() -> None:
    """Paddings 1 and 2: one case for each of the (2p + 1)² offsets, found by the statement's draws."""
    for padding in (1, 2):
        reached = set()
        for case in check._explicit_crop():
            if case["padding"] == padding and case["x"] is check.SAMPLE:
                rng = np.random.default_rng(case["rng"])
                reached.add((int(rng.integers(0, 2 * padding + 1)), int(rng.integers(0, 2 * padding + 1))))
        assert reached == {(t, l) for t in range(2 * padding + 1) for l in range(2 * padding + 1)}  # noqa: E741


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_global_random_state_is_diagnosed_not_an_internal_error(seed: int) -> None:
    """np.random's global state makes the same input fail once and pass on replay: the check says so."""
    result = run_check(
        EXERCISE, VARIANTS / "augmentation" / "wrong_global_random.py", CheckOptions(seed=seed)
    )
    assert str(result.status) == "failed"
    failure = result.first_failure()
    assert failure is not None and failure.diagnosis == check.CROP_GLOBAL_STATE

"""Notebooks as submissions: extraction of the code a function needs, `tutor check --file
NOTEBOOK`, `tutor init --notebooks` and grading a workspace whose exercises live in notebooks.

Nothing here starts a kernel (tests/test_notebook_kernel.py does): a notebook file is read with
nbformat, source only, and never executed by the grader.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SOLUTIONS, VARIANTS
from tutor.catalog import course
from tutor.checking.engine import CheckOptions, run_check
from tutor.checking.isolation import Isolation
from tutor.checking.submission import UnsafeFile, snapshot
from tutor.notebook.extract import notebook_modules, python_source
from tutor.notebook.files import other_exercise_functions

nbformat = pytest.importorskip("nbformat")
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook  # noqa: E402


def write_notebook(path: Path, cells: list[str], markdown: str = "# My work") -> Path:
    notebook = new_notebook(cells=[new_markdown_cell(markdown), *(new_code_cell(c) for c in cells)])
    nbformat.write(notebook, str(path))
    return path


def body(path: Path) -> str:
    """A solution file without its module docstring, as a student would paste it in a cell."""
    source = path.read_text(encoding="utf-8")
    return source.split('"""', 2)[2] if source.startswith('"""') else source


# -- extraction ----------------------------------------------------------------------------------------


def modules(cells: list[str], module: str = "conv2d", functions=("conv2d",), others=None) -> dict[str, str]:
    return {name: m.source for name, m in notebook_modules(cells, module, functions, others or {}).items()}


def test_only_the_statements_the_function_needs_are_kept():
    cells = [
        "import numpy as np\nimport matplotlib.pyplot as plt",
        "K = 3\nprint('noise')\nSCALE = K * 2",
        "def pad(x, p):\n    return np.pad(x, p)",
        "x = np.ones((1, 1, 5, 5))\nout = 7\nopen('side-effect.txt', 'w')",
        "def conv2d(x, w, b=None, stride=1, padding=0):\n    out = pad(x, SCALE)\n    return out",
        "out = conv2d(x, x)\nplt.imshow(out)",
        "%tutor check conv2d",
    ]
    source = modules(cells)["conv2d.py"]
    for kept in ("import numpy as np", "K = 3", "SCALE = K * 2", "def pad(", "def conv2d("):
        assert kept in source
    # Local names that happen to match a global (`out`, `x`) do not drag their cells along.
    for dropped in ("matplotlib", "print(", "side-effect", "x = np.ones", "out = 7", "imshow", "%tutor"):
        assert dropped not in source
    compile(source, "conv2d.py", "exec")


def test_the_last_definition_wins_and_top_level_uses_see_the_one_before():
    cells = [
        "import numpy as np",
        "def conv2d(x, w):\n    return 'first'",
        "N = 2",
        "SIZE = N * 10",  # uses the N bound before it…
        "N = 5",  # …and this later N is not needed by anything
        "def conv2d(x, w):\n    return SIZE",
    ]
    source = modules(cells)["conv2d.py"]
    assert "'first'" not in source
    assert "N = 2" in source and "N = 5" not in source
    namespace: dict = {}
    exec(source, namespace)
    assert namespace["conv2d"](None, None) == 20


def test_a_name_used_inside_a_function_is_the_last_binding_anywhere():
    # The body looks SCALE up when it is called: after every cell ran, SCALE is 3.
    cells = ["def conv2d(x, w):\n    return SCALE", "SCALE = 2", "SCALE = 3"]
    namespace: dict = {}
    exec(modules(cells)["conv2d.py"], namespace)
    assert namespace["conv2d"](None, None) == 3


def test_magics_and_shell_lines_are_not_python():
    assert python_source("%%time\nx = 1") is None
    assert python_source("%matplotlib inline\n!pip install x\nx = 1\nfor i in y:\n    %time f()") == (
        "pass\npass\nx = 1\nfor i in y:\n    pass"
    )


def test_a_broken_cell_that_defines_the_function_is_reported_as_a_syntax_error():
    source = modules(["import numpy as np", "def conv2d(x, w:\n    return x"])["conv2d.py"]
    with pytest.raises(SyntaxError):
        compile(source, "conv2d.py", "exec")


def test_a_broken_scratch_cell_is_ignored():
    source = modules(["def conv2d(x, w):\n    return x", "print('unfinished'"])["conv2d.py"]
    assert "unfinished" not in source
    compile(source, "conv2d.py", "exec")


def test_another_exercise_function_becomes_its_own_sibling_module():
    cells = [
        "import numpy as np",
        "def conv2d(x, w, b=None, stride=1, padding=0):\n    return x",
        "def relu(x):\n    return np.maximum(x, 0)",
        "def residual_block(x, params, stride=1):\n    return relu(conv2d(x, params['w']))",
    ]
    files = modules(
        cells,
        "residual_block",
        ("residual_block",),
        {"conv2d": "conv2d", "relu": "activations", "sigmoid": "activations"},
    )
    assert sorted(files) == ["activations.py", "conv2d.py", "residual_block.py"]
    main = files["residual_block.py"]
    assert "from conv2d import conv2d" in main and "from activations import relu" in main
    assert "def conv2d" not in main and "def conv2d" in files["conv2d.py"]


def test_a_function_not_defined_is_a_missing_function_not_an_empty_file():
    source = modules(["import numpy as np", "print(1)"])["conv2d.py"]
    assert "def " not in source
    compile(source, "conv2d.py", "exec")


# -- checking a notebook file --------------------------------------------------------------------------


def check_notebook(path: Path, exercise_id: str = "conv2d", **options):
    return run_check(course().exercise(exercise_id), path, CheckOptions(derandomize=True, **options))


@pytest.mark.slow
def test_a_notebook_that_never_ran_is_checked_from_its_source(tmp_path):
    """No outputs, no execution counts: the grader reads the source. A cell with a side effect
    (writing a file) binds nothing the function needs, so it runs nowhere, not even in the sandbox."""
    marker = tmp_path / "ran.txt"
    path = write_notebook(
        tmp_path / "work.ipynb",
        [body(SOLUTIONS / "conv2d.py"), f"open({str(marker)!r}, 'w').write('executed')"],
    )
    assert all(
        cell.get("execution_count") is None
        for cell in nbformat.read(str(path), 4).cells
        if cell.cell_type == "code"
    )
    result = check_notebook(path)
    assert result.passed, result.message
    assert "work.ipynb" in result.message
    assert not marker.exists()


@pytest.mark.slow
def test_tutor_check_file_on_a_wrong_notebook_names_the_misconception(tmp_path, monkeypatch):
    from tutor.cli import cli

    write_notebook(tmp_path / "work.ipynb", [body(VARIANTS / "conv2d" / "wrong_flipped_kernel.py")])
    monkeypatch.chdir(tmp_path)
    outcome = CliRunner().invoke(cli, ["check", "conv2d", "--file", "work.ipynb", "--json"])
    assert outcome.exit_code == 1, outcome.output
    report = json.loads(outcome.output)
    assert report["status"] == "failed"
    assert "flipped the kernel" in report["diagnosis"].lower()
    assert report["file"] == "work.ipynb"


def test_a_notebook_is_read_only_as_a_regular_file(tmp_path):
    exercise = course().exercise("conv2d")
    outside = write_notebook(tmp_path / "elsewhere.ipynb", ["def conv2d(x, w):\n    return x"])
    folder = tmp_path / "student"
    folder.mkdir()
    (folder / "work.ipynb").symlink_to(outside)
    with pytest.raises(UnsafeFile, match="outside"):
        snapshot(folder / "work.ipynb", exercise=exercise)
    (folder / "broken.ipynb").write_text("{not json", encoding="utf-8")
    with pytest.raises(UnsafeFile, match="not a Jupyter notebook"):
        snapshot(folder / "broken.ipynb", exercise=exercise)


def test_snapshot_of_a_notebook_marks_the_modules_it_built(tmp_path):
    path = write_notebook(
        tmp_path / "work.ipynb",
        [
            "import numpy as np",
            "def conv2d(x, w, b=None, stride=1, padding=0):\n    return x",
            "def residual_block(x, params, stride=1):\n    return conv2d(x, params['w'])",
        ],
    )
    submission = snapshot(path, exercise=course().exercise("residual_block"))
    assert submission.main == "residual_block.py"
    assert submission.notebook == "work.ipynb"
    assert submission.generated == {"residual_block.py", "conv2d.py"}
    assert b"from conv2d import conv2d" in submission.source


# -- tutor init --notebooks and grading ------------------------------------------------------------------


def test_init_notebooks_writes_one_notebook_per_session_from_the_catalog(tmp_path):
    from tutor.cli import cli

    outcome = CliRunner().invoke(cli, ["init", str(tmp_path / "ws"), "--notebooks", "--student", "s1"])
    assert outcome.exit_code == 0, outcome.output
    the_course = course()
    for session in the_course.sessions:
        path = tmp_path / "ws" / "notebooks" / f"session{session.number}.ipynb"
        notebook = nbformat.read(str(path), 4)
        nbformat.validate(notebook)
        sources = [cell.source for cell in notebook.cells]
        assert "%load_ext tutor" in sources
        for exercise in (e for e in the_course.exercises if e.session == session.number):
            if exercise.is_code:
                assert f"%tutor check {exercise.id}" in sources
                stub = sources[sources.index(f"%tutor check {exercise.id}") - 1]
                own = [f for f in exercise.functions if f not in other_exercise_functions(exercise)]
                assert own and all(f"def {name}" in stub or f"class {name}" in stub for name in own)
            else:
                assert f"%tutor show {exercise.id}" in sources
    assert not (tmp_path / "ws" / "exercises").exists()
    # A stub's `if __name__ == "__main__":` demo (LeNet's training) is a cell of its own, after
    # the check: run with the stub's cell, a kernel would start it at once.
    session2 = [
        c.source for c in nbformat.read(str(tmp_path / "ws" / "notebooks" / "session2.ipynb"), 4).cells
    ]
    check = session2.index("%tutor check lenet")
    assert "__main__" not in session2[check - 1] and "class LeNet" in session2[check - 1]
    assert session2[check + 1].startswith("# Try it") and "train_lenet(" in session2[check + 1]
    compile(session2[check + 1], "try-it", "exec")
    residual = nbformat.read(str(tmp_path / "ws" / "notebooks" / "session2.ipynb"), 4)
    assert not any("from conv2d import" in c.source for c in residual.cells if c.cell_type == "code")


def test_a_changed_py_file_wins_over_the_notebook(tmp_path):
    from tutor.workspace import init_workspace

    workspace, _ = init_workspace(tmp_path / "ws", course(), notebooks=True)
    exercise = course().exercise("conv2d")
    assert workspace.relative_exercise_file(exercise) == "notebooks/session1.ipynb"
    python_file = workspace.root / "exercises" / "conv2d.py"
    python_file.parent.mkdir()
    python_file.write_bytes(exercise.stub_path().read_bytes())
    assert workspace.relative_exercise_file(exercise) == "notebooks/session1.ipynb"  # still the stub
    python_file.write_text("def conv2d(x, w):\n    return x\n", encoding="utf-8")
    assert workspace.relative_exercise_file(exercise) == "exercises/conv2d.py"


def test_reset_never_rewrites_a_notebook(tmp_path, monkeypatch):
    from tutor.cli import cli
    from tutor.workspace import init_workspace

    workspace, _ = init_workspace(tmp_path / "ws", course(), notebooks=True)
    notebook = workspace.root / "notebooks" / "session1.ipynb"
    before = notebook.read_bytes()
    monkeypatch.chdir(workspace.root)
    outcome = CliRunner().invoke(cli, ["reset", "conv2d", "--yes"])
    assert outcome.exit_code == 1
    assert "never rewrites a notebook" in " ".join(outcome.output.split())
    assert notebook.read_bytes() == before
    assert not (workspace.root / "exercises").exists()


@pytest.mark.slow
def test_grading_a_notebook_workspace(tmp_path):
    """Both exercises are graded from their session's notebook. Session 1's conv2d flips the
    kernel and loses its points there; session 2 has the same conv2d in a cell, which
    residual_block uses: it is graded with the reference conv2d in its place (charged once)."""
    from tutor.checking.isolation import Isolation, support
    from tutor.grading.runner import GradeOptions, grade_workspace
    from tutor.workspace import init_workspace

    the_course = course()
    workspace, _ = init_workspace(tmp_path / "ws", the_course, notebooks=True)
    flipped = body(VARIANTS / "conv2d" / "wrong_flipped_kernel.py")
    for name, cells in (
        ("session1", [flipped]),
        (
            "session2",
            [flipped, body(SOLUTIONS / "residual_block.py").replace("from conv2d import conv2d", "")],
        ),
    ):
        path = workspace.root / "notebooks" / f"{name}.ipynb"
        notebook = nbformat.read(str(path), 4)
        notebook.cells += [new_code_cell(cell) for cell in cells]
        nbformat.write(notebook, str(path))
    selected = dataclasses.replace(
        the_course, exercises=tuple(the_course.exercise(i) for i in ("conv2d", "residual_block"))
    )
    report = grade_workspace(
        workspace,
        selected,
        GradeOptions(isolation=Isolation.SANDBOX if support().available else Isolation.NONE),
    )
    grades = {g.id: g for g in report.exercises}
    conv2d, residual = grades["conv2d"], grades["residual_block"]
    assert conv2d.file == "notebooks/session1.ipynb" and residual.file == "notebooks/session2.ipynb"
    assert conv2d.points < conv2d.max_points
    assert "flipped the kernel" in (conv2d.misconception or "").lower()
    assert residual.helpers == {}  # its conv2d came from the notebook, which has its own digest
    assert residual.substituted == ("conv2d",), residual.feedback
    assert residual.points == residual.max_points, residual.feedback
    assert set(report.files()) == {"notebooks/session1.ipynb", "notebooks/session2.ipynb"}


def test_lines_in_messages_are_the_cells_lines(tmp_path):
    path = write_notebook(
        tmp_path / "work.ipynb",
        [
            "import numpy as np\nprint('hello')",
            "def helper(x):\n    y = x\n    return y[10]",
            "def conv2d(x, w, b=None, stride=1, padding=0):\n    return helper(x)",
        ],
    )
    result = check_notebook(path, isolation=Isolation.NONE)
    assert result.status == "error"
    assert "(cell 2, line 3: return y[10])" in result.message, result.message
    broken = write_notebook(
        tmp_path / "broken.ipynb", ["import numpy as np", "x = 1\ndef conv2d(x, w:\n    return x"]
    )
    result = check_notebook(broken)
    assert result.status == "syntax_error"
    assert "line 2 of cell 2" in result.message, result.message


def test_a_notebook_with_large_outputs_is_read_under_its_own_cap(tmp_path):
    """Plots make notebooks large: 2 MiB of output is read (a .py file's cap is 1 MiB), 17 MiB is not."""
    from tutor.checking.submission import MAX_FILE_BYTES
    from tutor.notebook.files import NOTEBOOK_MAX_BYTES
    from tutor.workspace import file_digest

    exercise = course().exercise("conv2d")
    for size, readable in ((2 * MAX_FILE_BYTES, True), (NOTEBOOK_MAX_BYTES + MAX_FILE_BYTES, False)):
        cell = new_code_cell("def conv2d(x, w):\n    return x")
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * size)]
        path = tmp_path / f"big-{size}.ipynb"
        nbformat.write(new_notebook(cells=[cell]), str(path))
        assert (file_digest(path) is not None) is readable
        if readable:
            assert b"def conv2d" in snapshot(path, exercise=exercise).source
        else:
            with pytest.raises(UnsafeFile, match="larger than"):
                snapshot(path, exercise=exercise)


def test_without_nbformat_the_json_is_read_the_same(tmp_path):
    """The magics write their notebook by hand, and the grader reads v4 JSON itself when nbformat
    is missing (Colab without the [notebook] extra): the same cells either way."""
    from tutor.notebook.files import _code_cells_from_json, code_cells
    from tutor.notebook.magics import minimal_notebook

    cells = ["import numpy as np", "def conv2d(x, w):\n    return x\n", "%tutor check conv2d"]
    by_hand = json.dumps(minimal_notebook(cells)).encode()
    assert code_cells(by_hand) == _code_cells_from_json(by_hand.decode()) == cells
    saved = write_notebook(tmp_path / "saved.ipynb", cells).read_bytes()  # sources saved as lists of lines
    assert code_cells(saved) == _code_cells_from_json(saved.decode()) == cells

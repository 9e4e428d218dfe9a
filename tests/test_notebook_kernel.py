"""The tutor inside Jupyter: real notebooks executed in a real IPython kernel (nbclient + ipykernel).

The kernel runs this interpreter (a kernelspec installed into a temporary prefix), so it imports
the tutor under test. `%tutor check` sends the worker only what the function needs; these tests
show it with code that would fail the check if it were sent (a torch import in another cell).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from nbformat.v4 import new_code_cell, new_notebook  # noqa: E402

from tests.conftest import SOLUTIONS, VARIANTS  # noqa: E402

KERNEL_NAME = "cnn-tutor-test"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kernel_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A kernelspec for this very interpreter, in a private prefix (never the user's own kernels)."""
    from ipykernel.kernelspec import install

    prefix = tmp_path_factory.mktemp("kernel-prefix")
    install(kernel_name=KERNEL_NAME, prefix=str(prefix))
    return str(prefix / "share" / "jupyter")


def run_notebook(cells: list[str], folder: Path, jupyter_path: str, monkeypatch: pytest.MonkeyPatch):
    """Execute `cells` in a fresh kernel whose working folder is `folder`; the executed notebook."""
    monkeypatch.setenv("JUPYTER_PATH", jupyter_path)
    notebook = new_notebook(cells=[new_code_cell(cell) for cell in cells])
    client = nbclient.NotebookClient(
        notebook,
        kernel_name=KERNEL_NAME,
        timeout=240,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    return notebook


def text_of(cell) -> str:  # noqa: ANN001
    """Everything a cell showed, as plain text (rich renders text/plain next to its HTML)."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif "data" in output:
            parts.append(output["data"].get("text/plain", ""))
        elif output.get("output_type") == "error":
            parts.append("\n".join(output.get("traceback", [])))
    return ANSI.sub("", "".join(parts))


def without_module_docstring(path: Path) -> str:
    source = path.read_text(encoding="utf-8")
    return source.split('"""', 2)[2] if source.startswith('"""') else source


def test_right_and_flipped_conv2d_in_a_kernel(tmp_path, kernel_path, monkeypatch):
    """As on Colab: a shell-escape cell first (the README's `!pip install …`), no workspace, and
    the tutor installed without its [notebook] extra (nbformat made unimportable in the kernel)."""
    right = without_module_docstring(SOLUTIONS / "conv2d.py")
    flipped = without_module_docstring(VARIANTS / "conv2d" / "wrong_flipped_kernel.py")
    notebook = run_notebook(
        [
            "!echo installed",
            "import sys\nsys.modules['nbformat'] = None  # `import nbformat` now raises ImportError",
            "%load_ext tutor",
            right,
            "%tutor check conv2d",
            flipped,
            "%tutor check conv2d",
        ],
        tmp_path,
        kernel_path,
        monkeypatch,
    )
    assert "installed" in text_of(notebook.cells[0])
    passed, failed = text_of(notebook.cells[4]), text_of(notebook.cells[6])
    assert "conv2d passed" in passed and "this notebook" in passed, passed
    assert "Traceback" not in passed
    assert "conv2d: failed" in failed, failed
    assert "flipped the kernel" in failed.lower(), failed
    assert "%tutor hint conv2d" in failed


def test_helper_from_an_earlier_cell_and_nothing_else(tmp_path, kernel_path, monkeypatch):
    """The helper and the constant come along; the torch cell and the prints stay in the kernel
    (sent to the worker, the torch import alone would fail the check as a forbidden import)."""
    solution = without_module_docstring(SOLUTIONS / "conv2d.py")
    helper_cell = solution.split("def conv2d(")[0]  # numpy import and _pair
    conv_cell = "def conv2d(" + solution.split("def conv2d(", 1)[1]
    notebook = run_notebook(
        [
            "%load_ext tutor",
            helper_cell,
            "import torch\nreference = torch.zeros(1)\nprint('torch is here', reference.shape)",
            conv_cell,
            "x = np.ones((1, 1, 4, 4))\nout = conv2d(x, np.ones((1, 1, 2, 2)))\nprint(out.shape)",
            "%tutor check conv2d",
        ],
        tmp_path,
        kernel_path,
        monkeypatch,
    )
    assert "(1, 1, 3, 3)" in text_of(notebook.cells[4])
    shown = text_of(notebook.cells[5])
    assert "conv2d passed" in shown, shown


def test_infinite_loop_times_out_and_the_kernel_still_answers(tmp_path, kernel_path, monkeypatch):
    looping = "import numpy as np\n\ndef conv2d(x, w, b=None, stride=1, padding=0):\n    while True:\n        pass\n"
    started = time.monotonic()
    notebook = run_notebook(
        ["%load_ext tutor", looping, "%tutor check conv2d --timeout 2", "print(6 * 7)"],
        tmp_path,
        kernel_path,
        monkeypatch,
    )
    shown = text_of(notebook.cells[2])
    assert "timeout" in shown.lower(), shown
    assert "2 s" in shown or "2 seconds" in shown, shown
    assert text_of(notebook.cells[3]).strip() == "42"
    assert time.monotonic() - started < 120


def test_user_errors_are_messages_not_tracebacks(tmp_path, kernel_path, monkeypatch):
    notebook = run_notebook(
        ["%load_ext tutor", "%tutor check conv3d", "%tutor frobnicate", "%tutor check conv2d --timeout x"],
        tmp_path,
        kernel_path,
        monkeypatch,
    )
    for cell in notebook.cells[1:]:
        shown = text_of(cell)
        assert shown.startswith("error:"), shown
        assert "Traceback" not in shown
    assert "conv3d" in text_of(notebook.cells[1])


def test_next_hint_show_and_student_id(tmp_path, kernel_path, monkeypatch):
    notebook = run_notebook(
        [
            "%load_ext tutor",
            "%tutor next",
            "%tutor hint corr2d",
            "%tutor hint corr2d",
            "%tutor show why_cnn_params",
            "%tutor init --student s1234567",
            "%tutor show why_cnn_params",
            "import sys\nprint(sorted(m for m in ('torch', 'hypothesis') if m in sys.modules))",
        ],
        tmp_path,
        kernel_path,
        monkeypatch,
    )
    assert "%tutor check corr2d" in text_of(notebook.cells[1])
    assert "Hints for corr2d" in text_of(notebook.cells[2])
    first, second = text_of(notebook.cells[2]), text_of(notebook.cells[3])
    assert second.count("2.") >= 1 and len(second) > len(first)
    assert "s1234567" in text_of(notebook.cells[5])
    # The student id picks other numbers than the textbook's.
    assert text_of(notebook.cells[4]) != text_of(notebook.cells[6])
    # Neither the extension nor next/hint/show imported torch or hypothesis into the kernel.
    assert text_of(notebook.cells[7]).strip() == "[]"


def test_the_generated_notebook_runs_in_its_workspace(tmp_path, kernel_path, monkeypatch):
    """`tutor init --notebooks`: session 1's notebook, run as written up to its first check, in
    the workspace's notebooks/ folder. The stub is reported as a stub; the student id comes from
    the workspace's tutor.toml."""
    from tutor.catalog import course
    from tutor.workspace import init_workspace

    workspace, _ = init_workspace(tmp_path / "ws", course(), student="s7654321", notebooks=True)
    generated = nbformat.read(str(workspace.root / "notebooks" / "session1.ipynb"), 4)
    code = [cell.source for cell in generated.cells if cell.cell_type == "code"]
    first_check = next(i for i, source in enumerate(code) if source.startswith("%tutor check"))
    question = next(e.id for e in course().exercises if e.session == 1 and not e.is_code)
    notebook = run_notebook(
        [
            *code[: first_check + 1],
            f"%tutor show {question}",
            "%tutor init --student s7654321",
            f"%tutor show {question}",
        ],
        workspace.root / "notebooks",
        kernel_path,
        monkeypatch,
    )
    checked = text_of(notebook.cells[first_check])
    assert "still raises NotImplementedError" in checked, checked
    from_workspace, from_init = text_of(notebook.cells[-3]), text_of(notebook.cells[-1])
    assert from_workspace == from_init  # the same id, so the same numbers

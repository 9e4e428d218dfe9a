"""`tutor solution ID`: the reference solution, only after the current file passed, never copied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import SOLUTIONS
from tutor.cli import cli


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "ws"), "--student", "s1"]).exit_code == 0
    monkeypatch.chdir(tmp_path / "ws")
    monkeypatch.delenv("TUTOR_SOLUTIONS", raising=False)
    return tmp_path / "ws"


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".tutor" not in p.parts
    }


def test_solution_only_after_a_pass_and_never_copied(workspace: Path) -> None:
    runner = CliRunner()
    reference = (SOLUTIONS / "conv_output_size.py").read_text(encoding="utf-8")
    refused = runner.invoke(cli, ["solution", "conv_output_size"])
    assert refused.exit_code == 1
    assert "shown only once your exercises/conv_output_size.py passes" in " ".join(refused.output.split())
    assert "tutor check conv_output_size" in refused.output and reference not in refused.output

    shutil.copy(SOLUTIONS / "conv_output_size.py", workspace / "exercises" / "conv_output_size.py")
    assert runner.invoke(cli, ["check", "conv_output_size"]).exit_code == 0
    before = _files(workspace)
    shown = runner.invoke(cli, ["solution", "conv_output_size"])
    assert shown.exit_code == 0, shown.output
    body = next(line for line in reference.splitlines() if line.strip().startswith("return"))
    assert body.strip() in shown.output and "Reference solution · conv_output_size" in shown.output
    assert _files(workspace) == before, "nothing written into the workspace"

    # An edit after the pass hides it again until the new file passes.
    path = workspace / "exercises" / "conv_output_size.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n# tweak\n", encoding="utf-8")
    changed = runner.invoke(cli, ["solution", "conv_output_size"])
    assert changed.exit_code == 1 and "changed since it passed" in changed.output


def test_solution_says_plainly_when_solutions_are_not_installed(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    runner = CliRunner()
    shutil.copy(SOLUTIONS / "conv_output_size.py", workspace / "exercises" / "conv_output_size.py")
    assert runner.invoke(cli, ["check", "conv_output_size"]).exit_code == 0
    monkeypatch.setenv("TUTOR_SOLUTIONS", str(tmp_path / "nowhere"))
    missing = runner.invoke(cli, ["solution", "conv_output_size"])
    assert missing.exit_code == 1
    assert "not installed" in missing.output and "TUTOR_SOLUTIONS=" in missing.output
    elsewhere = tmp_path / "mine"
    elsewhere.mkdir()
    (elsewhere / "conv_output_size.py").write_text("# the instructor's copy\n", encoding="utf-8")
    monkeypatch.setenv("TUTOR_SOLUTIONS", str(elsewhere))
    assert "the instructor's copy" in runner.invoke(cli, ["solution", "conv_output_size"]).output


def test_numeric_questions_have_no_solution_to_show(workspace: Path) -> None:
    from tutor.catalog import course

    question = next(e for e in course().exercises if not e.is_code)
    result = CliRunner().invoke(cli, ["solution", question.id])
    assert result.exit_code == 2 and "numeric question" in result.output

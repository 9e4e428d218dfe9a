"""`--ref REF`: grade a tag or branch of each student's git repository, in a private copy.

The student's repository is hostile: its .git/config names a program as fsmonitor, pager, hooks,
ssh command and gpg program, and its .gitattributes runs every file through a filter of that
config. The program writes a marker file. A control (a naive `git worktree add` on a copy of the
repository) shows that the trap works; grading with --ref must never spring it, and must leave
every byte of the student's folder (files, HEAD, index, worktree list) as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.fake_course import SOLUTIONS
from tests.test_grading import HERE, fake_cli, make_workspace  # noqa: F401 - fake_cli: a fixture
from tests.test_grading_class import FAKE_GRADE, SUBMISSION_TIMEOUT
from tutor.checking.isolation import Isolation
from tutor.grading import gitrepo
from tutor.grading.classgrade import RowStatus, grade_class

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="no git here")

V1_DATE = "2026-11-20T10:00:00+00:00"
FIXED_DATE = "2026-11-25T12:30:00+00:00"


def git(folder: Path, *arguments: str, date: str = V1_DATE) -> str:
    """The test's own git, with a clean configuration (never the student's programs: they are
    configured only after the last commit)."""
    env = os.environ | {
        "GIT_AUTHOR_NAME": "s",
        "GIT_AUTHOR_EMAIL": "s@example.org",
        "GIT_COMMITTER_NAME": "s",
        "GIT_COMMITTER_EMAIL": "s@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", *arguments], cwd=folder, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (the .git folder included) and its SHA-256; links as their target."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[key] = "folder"
    return found


def arm(folder: Path, marker: Path) -> None:
    """Make the repository at `folder` run a program that touches `marker` wherever git lets it."""
    script = folder.parent / f"evil-{folder.name}.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n", encoding="utf-8")
    script.chmod(0o755)
    hooks = folder.parent / f"hooks-{folder.name}"
    hooks.mkdir()
    for hook in ("post-checkout", "pre-commit", "post-index-change", "reference-transaction"):
        shutil.copyfile(script, hooks / hook)
        (hooks / hook).chmod(0o755)
    with (folder / ".git" / "config").open("a", encoding="utf-8") as config:
        config.write(
            f"[core]\n\tfsmonitor = {script}\n\tpager = {script}\n\thooksPath = {hooks}\n"
            f"\tsshCommand = {script}\n\taskPass = {script}\n"
            f'[filter "evil"]\n\tsmudge = {script}\n\tclean = {script}\n\trequired = true\n'
            f"[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {script}\n"
            f"[diff]\n\texternal = {script}\n"
        )


@pytest.fixture
def repository(tmp_path: Path) -> tuple[Path, dict[str, str], Path]:
    """A student's armed repository: tag v1 has `double` wrong, branch `fixed` has it right, and
    the checkout (main, at v1) has an uncommitted edit. Also (its sha per ref, the marker)."""
    folder = tmp_path / "alice"
    make_workspace(folder, wrong=("double",), student="alice01")
    (folder / ".gitattributes").write_text("* filter=evil\n", encoding="utf-8")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "v1")
    git(folder, "tag", "v1")
    git(folder, "checkout", "-q", "-b", "fixed")
    shutil.copyfile(SOLUTIONS / "double.py", folder / "exercises" / "double.py")
    git(folder, "commit", "-q", "-am", "fix double", date=FIXED_DATE)
    git(folder, "checkout", "-q", "main")
    (folder / "exercises" / "double.py").write_text("# work in progress\n", encoding="utf-8")
    shas = {ref: git(folder, "rev-parse", ref) for ref in ("v1", "fixed")}
    marker = tmp_path / "the-repository-ran-a-program"
    arm(folder, marker)
    return folder, shas, marker


def test_the_trap_works_on_a_naive_checkout(repository, tmp_path: Path) -> None:
    """Control: a plain `git worktree add` of a copy runs the repository's filter and hooks."""
    folder, _, marker = repository
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy, symlinks=True)
    subprocess.run(
        ["git", "worktree", "add", "-q", str(tmp_path / "naive"), "v1"],
        cwd=copy,
        env=os.environ | {"GIT_CONFIG_GLOBAL": "/dev/null"},
        capture_output=True,
        check=False,
    )
    assert marker.exists()


def test_ref_grades_a_tag_and_a_branch_without_touching_the_checkout(repository) -> None:
    folder, shas, marker = repository
    before = snapshot(folder)
    rows = {}
    for ref in ("v1", "fixed"):
        (rows[ref],) = grade_class(
            [folder], command=FAKE_GRADE, timeout=SUBMISSION_TIMEOUT, isolation=HERE, ref=ref
        )
    assert not marker.exists()
    assert snapshot(folder) == before  # files, HEAD, index, no new worktree
    v1, fixed = rows["v1"], rows["fixed"]
    assert v1.status == fixed.status == RowStatus.GRADED, (v1.message, fixed.message)
    assert (v1.points["double"], fixed.points["double"]) == (0.0, 4.0)
    assert (v1.commit, v1.committed_at) == (shas["v1"], V1_DATE)
    assert (fixed.commit, fixed.committed_at) == (shas["fixed"], FIXED_DATE)
    assert v1.student == "alice01" and v1.directory == str(folder)


def test_a_missing_ref_is_an_ungraded_row_and_the_batch_goes_on(repository, tmp_path: Path) -> None:
    folder, _, marker = repository
    plain = tmp_path / "bob"
    make_workspace(plain, student="bob02")  # a workspace, but not a git repository
    rows = grade_class(
        [folder, plain], command=FAKE_GRADE, timeout=SUBMISSION_TIMEOUT, isolation=HERE, ref="v2"
    )
    assert [r.status for r in rows] == [RowStatus.NO_REF, RowStatus.NO_REF]
    assert "no commit 'v2'" in rows[0].message and "not a git repository" in rows[1].message
    assert all(r.total is None and not r.graded for r in rows)
    assert not marker.exists()


def test_export_writes_regular_files_only(tmp_path: Path) -> None:
    """A symlink, a submodule, a huge file and files outside the workspace's paths are not copied."""
    folder = tmp_path / "carol"
    make_workspace(folder, student="carol03")
    os.symlink("/etc/passwd", folder / "exercises" / "add.py.link")
    (folder / "exercises" / "huge.py").write_bytes(b"#" * (gitrepo.EXPORT_MAX_BYTES + 1))
    (folder / "notes.txt").write_text("not graded\n", encoding="utf-8")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "one")
    head = git(folder, "rev-parse", "HEAD")
    git(folder, "update-index", "--add", "--cacheinfo", f"160000,{head},exercises/vendored")
    git(folder, "commit", "-q", "-m", "submodule")
    git(folder, "tag", "hw1")
    copy = tmp_path / "copy"
    exported = gitrepo.export(folder, "hw1", copy)
    assert "tutor.toml" in exported.files and "exercises/double.py" in exported.files
    assert "notes.txt" not in exported.files and not (copy / "notes.txt").exists()
    reasons = " | ".join(exported.skipped)
    assert "exercises/add.py.link (a symbolic link)" in reasons
    assert "exercises/vendored (a submodule)" in reasons
    assert "exercises/huge.py (larger than" in reasons
    for path in copy.rglob("*"):
        assert path.is_dir() or (path.is_file() and not path.is_symlink())
    assert (copy / "exercises" / "double.py").read_bytes() == (
        folder / "exercises" / "double.py"
    ).read_bytes()


def test_a_ref_that_looks_like_an_option_is_refused(repository) -> None:
    folder, _, _ = repository
    with pytest.raises(gitrepo.GitError, match="not a tag or branch"):
        gitrepo.commit(folder, "--output=/tmp/x")


def test_tutor_grade_ref_grades_that_commit(
    fake_cli,  # noqa: F811
    repository,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, shas, marker = repository
    monkeypatch.chdir(folder)
    flags = ["--no-sandbox"] if HERE is Isolation.NONE else []
    out = tmp_path / "report.json"
    done = CliRunner().invoke(
        fake_cli, ["grade", "--ref", "fixed", "--format", "json", "--output", str(out), *flags]
    )
    assert done.exit_code == 0, done.output
    report = json.loads(out.read_text())
    (double,) = [e for e in report["exercises"] if e["id"] == "double"]
    assert double["points"] == 4.0
    assert any(shas["fixed"] in note for note in report["notes"])
    missing = CliRunner().invoke(fake_cli, ["grade", "--ref", "v9", *flags])
    assert missing.exit_code == 2 and "no commit 'v9'" in missing.output
    assert not marker.exists()
    assert (folder / "exercises" / "double.py").read_text() == "# work in progress\n"

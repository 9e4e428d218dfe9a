"""Read a student's git repository without running anything it asks for.

A student's repository is theirs, and so is its `.git/config`: it may name a program as its
fsmonitor, pager, hook folder, ssh command, gpg program or promisor remote, and its
`.gitattributes` may name clean/smudge filters. Every git command here therefore:

- is plumbing that reads objects only (`show -s`, `rev-parse`, `ls-tree`, `cat-file --batch`):
  nothing reads the index (fsmonitor), checks out files (filters, hooks) or opens a pager;
- overrides the dangerous settings on the command line, which wins over the repository's config
  and anything it includes, and forbids every transport, so a missing object is never fetched;
- runs without the system's or the user's configuration, with the repository named explicitly
  (no discovery of a repository above it), without replace refs, and with a time limit.

`export` writes a commit's workspace files into a fresh folder as plain files, from the blobs
themselves: a symbolic link, a submodule, a huge file or an odd path is left out and named.
The student's checkout (files, HEAD, index, worktree list) is never touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

GIT_SECONDS = 10.0
"""Longest one git command on a student's repository may take."""
EXPORT_MAX_BYTES = 1024 * 1024
"""Largest file copied out of a commit (the grader reads no larger exercise file either)."""
EXPORT_MAX_FILES = 1000
"""Most files copied out of one commit."""
EXPORT_MAX_TOTAL = 64 * 1024 * 1024
"""Most bytes copied out of one commit, all files together."""
EXPORTED_FOLDERS = ("exercises",)
EXPORTED_FILES = ("tutor.toml", "answers.toml")
"""What grading reads from a workspace: its tutor.toml, answers.toml and everything in exercises/."""

# Command-line settings win over the repository's (and its includes'). Every program the
# repository could name is switched off, and every transport is forbidden (a promisor remote
# would otherwise be fetched from, through its own ssh command).
_HARDENING = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.pager=cat",
    "-c", "core.sshCommand=false",
    "-c", "core.askPass=false",
    "-c", "credential.helper=",
    "-c", "log.showSignature=false",
    "-c", "gpg.program=false",
    "-c", "protocol.allow=never",
    *(item for name in ("file", "git", "ssh", "http", "https", "ext") for item in ("-c", f"protocol.{name}.allow=never")),
)  # fmt: skip

NOT_A_REPOSITORY = "not a git repository (no .git folder), so there is no {ref} to grade"
NO_SUCH_REF = "the repository has no commit {ref!r} (no such tag or branch)"
GIT_FAILED = "git could not read {what}: {detail}"
BAD_REF = "{ref!r} is not a tag or branch name"
SKIPPED = "{path} ({why})"


class GitError(Exception):
    """git could not give what was asked for. `reason` is a sentence for the gradebook."""

    def __init__(self, reason: str, refused: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.refused = refused
        """git ran and said no (an exit code), rather than not running or running too long."""


@dataclass(frozen=True)
class Commit:
    sha: str
    committed_at: str
    """The committer date (ISO 8601), as git records it ("" when it cannot be read)."""


@dataclass(frozen=True)
class Export:
    commit: Commit
    files: tuple[str, ...]
    """The paths written (relative, POSIX)."""
    skipped: tuple[str, ...] = ()
    """The workspace paths of the commit that were not written, each with the reason."""


def git_dir(directory: Path) -> Path | None:
    """The `.git` folder of a repository whose top is `directory`: a real folder, not a link or a
    `gitdir:` file pointing elsewhere (those are not followed)."""
    candidate = directory / ".git"
    return candidate if candidate.is_dir() and not candidate.is_symlink() else None


def _environment(repository: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": "/nonexistent",
        "XDG_CONFIG_HOME": "/nonexistent",
        "GIT_DIR": str(repository),  # named, never discovered
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_ATTR_NOSYSTEM": "1",
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_NO_LAZY_FETCH": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_PROTOCOL_FROM_USER": "0",
        "LC_ALL": "C",
    }


def run_git(directory: Path, *arguments: str, stdin: bytes = b"", timeout: float = GIT_SECONDS) -> bytes:
    """The standard output of `git ARGUMENTS` on the repository at `directory`, hardened (see the
    module). Raises GitError when it is not a repository, git is missing, fails or runs too long."""
    repository = git_dir(directory)
    if repository is None:
        raise GitError(NOT_A_REPOSITORY.format(ref="commit"))
    if shutil.which("git") is None:
        raise GitError(GIT_FAILED.format(what=directory, detail="git is not installed"))
    command = ["git", *_HARDENING, "-c", f"safe.directory={repository.resolve()}", "--no-pager", *arguments]
    try:
        done = subprocess.run(
            command,
            cwd=repository,
            env=_environment(repository.resolve()),
            input=stdin,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GitError(GIT_FAILED.format(what=arguments[0], detail=f"it took over {timeout:g} s")) from None
    except OSError as error:
        raise GitError(GIT_FAILED.format(what=arguments[0], detail=str(error))) from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(
            GIT_FAILED.format(what=arguments[0], detail=(detail or ["no message"])[-1][:200]), refused=True
        )
    return done.stdout


def commit(directory: Path, revision: str = "HEAD") -> Commit:
    """The commit `revision` names (sha and committer date). Raises GitError."""
    if not revision or revision.startswith("-") or re.search(r"[\s\x00-\x1f\x7f]", revision):
        raise GitError(BAD_REF.format(ref=revision))
    if git_dir(directory) is None:
        raise GitError(NOT_A_REPOSITORY.format(ref=revision))
    try:
        found = run_git(
            directory, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
        )
    except GitError as error:
        if not error.refused:
            raise
        raise GitError(NO_SUCH_REF.format(ref=revision)) from error
    sha = found.decode("ascii", "replace").strip()
    if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", sha):
        raise GitError(NO_SUCH_REF.format(ref=revision))
    shown = run_git(directory, "show", "-s", "--no-show-signature", "--format=%cI", sha)
    date = shown.decode("ascii", "replace").strip()
    return Commit(sha, date if re.fullmatch(r"[0-9T:+\-Z]{10,40}", date) else "")


def head_commit(directory: Path) -> tuple[str, str]:
    """(sha, committer date) of HEAD when `directory` is the top of a git repository, else ("", "")."""
    try:
        found = commit(directory)
    except GitError:
        return "", ""
    return found.sha, found.committed_at


def _exported(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return path in EXPORTED_FILES or (len(parts) > 1 and parts[0] in EXPORTED_FOLDERS)


def _unsafe_path(path: str) -> bool:
    parts = path.split("/")
    return any(p in ("", ".", "..") or p.lower() == ".git" or "\\" in p for p in parts)


def export(directory: Path, revision: str, target: Path) -> Export:
    """Write the workspace files of commit `revision` into `target` (which must not exist), as
    regular files read from git's objects: no checkout, no filter, no hook. Raises GitError."""
    found = commit(directory, revision)
    listing = run_git(directory, "ls-tree", "-r", "-l", "-z", "--full-tree", found.sha)
    wanted: list[tuple[str, str]] = []  # (object, path)
    skipped: list[str] = []
    total = 0
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        path = raw_path.decode("utf-8", "replace")
        if not _exported(path):
            continue
        mode, kind, obj, size = (meta.decode("ascii", "replace").split() + ["", "", "", ""])[:4]
        if _unsafe_path(path):
            skipped.append(SKIPPED.format(path=path, why="an unsafe path"))
        elif mode == "120000":
            skipped.append(SKIPPED.format(path=path, why="a symbolic link"))
        elif kind != "blob" or mode not in ("100644", "100755"):
            skipped.append(SKIPPED.format(path=path, why="a submodule" if kind == "commit" else "not a file"))
        elif not size.isdigit() or int(size) > EXPORT_MAX_BYTES:
            skipped.append(SKIPPED.format(path=path, why=f"larger than {EXPORT_MAX_BYTES // 1024} KiB"))
        elif len(wanted) >= EXPORT_MAX_FILES or total + int(size) > EXPORT_MAX_TOTAL:
            skipped.append(SKIPPED.format(path=path, why="over the limit of files copied from one commit"))
        else:
            wanted.append((obj, path))
            total += int(size)
    contents = _blobs(directory, [obj for obj, _ in wanted])
    target.mkdir(mode=0o700)
    written: list[str] = []
    for obj, path in wanted:
        destination = target.joinpath(*path.split("/"))
        # A fresh folder that only this code writes, with no links: O_EXCL refuses a second
        # entry of the same name (a crafted tree), O_NOFOLLOW any surprise.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        try:
            destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            descriptor = os.open(destination, flags, 0o644)
        except OSError as error:
            skipped.append(SKIPPED.format(path=path, why=f"cannot be written: {error.strerror}"))
            continue
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(contents[obj])
        written.append(path)
    return Export(found, tuple(written), tuple(skipped))


def _blobs(directory: Path, objects: list[str]) -> dict[str, bytes]:
    """The contents of these blobs, by object id, from one `git cat-file --batch` (no filters)."""
    if not objects:
        return {}
    unique = list(dict.fromkeys(objects))
    output = run_git(directory, "cat-file", "--batch", stdin="".join(f"{o}\n" for o in unique).encode())
    contents: dict[str, bytes] = {}
    position = 0
    for obj in unique:
        end = output.find(b"\n", position)
        if end < 0:
            raise GitError(GIT_FAILED.format(what=f"object {obj}", detail="the output ended early"))
        header = output[position:end].decode("ascii", "replace").split()
        if len(header) != 3 or header[0] != obj or header[1] != "blob" or not header[2].isdigit():
            raise GitError(GIT_FAILED.format(what=f"object {obj}", detail=" ".join(header) or "nothing"))
        size = int(header[2])
        if size > EXPORT_MAX_BYTES:
            raise GitError(GIT_FAILED.format(what=f"object {obj}", detail="it is larger than listed"))
        contents[obj] = output[end + 1 : end + 1 + size]
        position = end + 1 + size + 1  # the content is followed by a newline
    return contents


@contextlib.contextmanager
def exported(directory: Path, revision: str) -> Iterator[tuple[Path, Export]]:
    """`export` into a private temporary folder (mode 0700), removed afterwards: (its path, the export)."""
    with tempfile.TemporaryDirectory(prefix="tutor-ref-") as folder:
        copy = Path(folder) / "workspace"
        yield copy, export(directory, revision, copy)

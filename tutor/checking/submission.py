"""What is checked: a snapshot of the student's file and of the sibling modules it imports.

The grader reads each file once, itself, and only if it is a regular file that really lives in
the student's folder: not a symlink out of it, not a device, FIFO or socket, not larger than
MAX_FILE_BYTES. Reads never block (O_NONBLOCK) and never follow a final symlink (O_NOFOLLOW).
Everything after (the static checks, the worker's copy, the grade's SHA-256) uses these bytes,
so a file swapped while it is being checked changes nothing.
"""

from __future__ import annotations

import ast
import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.notebook.files import NOTEBOOK_MAX_BYTES, is_notebook

if TYPE_CHECKING:
    from tutor.catalog import Exercise
    from tutor.notebook.extract import Module

MAX_FILE_BYTES = 1024 * 1024
"""Largest exercise or helper file read (1 MiB): far above any honest solution."""

NOT_REGULAR = "it is not a regular file but a {kind}"
LINK_OUTSIDE = "it is a link to {target}, outside {root}"
TOO_LARGE = "it is larger than {limit} KiB"
UNREADABLE = "it cannot be read ({error})"


class UnsafeFile(Exception):
    """The file is not one the grader will read. `reason` completes "… is not checked: "."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "folder"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISFIFO, "FIFO (named pipe)"),
        (stat.S_ISSOCK, "socket"),
    ):
        if test(mode):
            return name
    return "special file"


def read_regular_file(path: Path, root: Path | None = None, max_bytes: int | None = None) -> bytes:
    """The bytes of `path`, if it is a regular file inside `root` (when given). Never blocks.

    At most `max_bytes`: by default MAX_FILE_BYTES, or NOTEBOOK_MAX_BYTES for a notebook (its
    outputs count too).

    Raises FileNotFoundError when there is no such file, UnsafeFile for anything else refused.
    """
    path = Path(path)
    if max_bytes is None:
        max_bytes = NOTEBOOK_MAX_BYTES if is_notebook(path.name) else MAX_FILE_BYTES
    # What the name leads to, without opening it: opening a device or a FIFO can block or act.
    try:
        target = os.stat(path)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise UnsafeFile(UNREADABLE.format(error=error.strerror or error)) from None
    if not stat.S_ISREG(target.st_mode):
        raise UnsafeFile(NOT_REGULAR.format(kind=_kind(target.st_mode)))
    real = Path(os.path.realpath(path))
    if root is not None:
        base = Path(os.path.realpath(root))
        if real != base and base not in real.parents:
            raise UnsafeFile(LINK_OUTSIDE.format(target=real, root=base))
    try:
        # O_NOFOLLOW and O_NONBLOCK: if the file was swapped since, for a link or a FIFO, the
        # open fails or returns at once, and fstat below sees what was really opened.
        descriptor = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise UnsafeFile(UNREADABLE.format(error=error.strerror or error)) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(NOT_REGULAR.format(kind=_kind(info.st_mode)))
        if info.st_size > max_bytes:
            raise UnsafeFile(TOO_LARGE.format(limit=max_bytes // 1024))
        chunks, size = [], 0
        while size <= max_bytes:
            chunk = os.read(descriptor, max_bytes + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:  # it grew while we read
            raise UnsafeFile(TOO_LARGE.format(limit=max_bytes // 1024))
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def safe_digest(path: Path, root: Path | None = None) -> str | None:
    """SHA-256 of a file read as read_regular_file reads it; None when there is none or it is refused."""
    try:
        return hashlib.sha256(read_regular_file(path, root)).hexdigest()
    except (OSError, UnsafeFile):
        return None


@dataclass(frozen=True)
class Submission:
    """The files one check runs, as read once by the grader."""

    folder: Path
    """The student's folder the file is in (the worker sees the copies at this same path)."""
    main: str
    """The exercise file's name in `folder`."""
    files: dict[str, bytes]
    """File name → bytes: the exercise file and every sibling module it imports, transitively."""
    notebook: str | None = None
    """The notebook file (its name in `folder`) the modules marked `generated` were built from."""
    generated: frozenset[str] = frozenset()
    """Modules built from the notebook's cells (no such file exists): `main` and the siblings
    defined in the notebook (tutor/notebook/extract.py)."""
    cells: Mapping[str, Mapping[int, tuple[int, int]]] = field(default_factory=dict)
    """For each generated module: its line → (cell number, line in the cell), for messages."""

    @property
    def source(self) -> bytes:
        return self.files[self.main]

    def write(self, folder: Path) -> None:
        """Write the copies into `folder` (readable by the sandbox's unprivileged user)."""
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o755)
        for name, data in self.files.items():
            target = folder / name
            target.write_bytes(data)
            os.chmod(target, 0o644)


def _imported_names(source: bytes) -> set[str]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def snapshot(
    path: Path, root: Path | None = None, library: Path | None = None, exercise: Exercise | None = None
) -> Submission:
    """Read the exercise file and, transitively, the sibling modules (NAME.py next to it) it imports.

    The exercise file must pass read_regular_file (else FileNotFoundError or UnsafeFile); a
    sibling that does not is left out, so importing it fails in the worker like a missing module.
    `library` (a workspace's exercises/ folder) is where an imported NAME.py that is not next to
    the file is looked for: `tutor check ID --file PATH` from a workspace finds the earlier
    exercises there. Its files pass the same rules, with `library` as their root.

    A notebook (`.ipynb`, read under a larger size cap) becomes the modules that `exercise`'s
    functions need from its cells (tutor/notebook/files.py): `main` is then `<id>.py`.
    """
    path = Path(path)
    folder = path.parent
    root = root if root is not None else folder
    notebook = path.name if is_notebook(path.name) else None
    cells: dict[str, Mapping[int, tuple[int, int]]] = {}
    if notebook:
        modules = _notebook_files(path, root, exercise)
        files = {name: module.source.encode("utf-8") for name, module in modules.items()}
        cells = {name: module.cells for name, module in modules.items()}
        main = f"{exercise.id}.py" if exercise else path.name
    else:
        files, main = {path.name: read_regular_file(path, root)}, path.name
    generated = frozenset(files) if notebook else frozenset()
    todo = list(files.values())
    while todo:
        for name in sorted(_imported_names(todo.pop())):
            candidate = f"{name}.py"
            if candidate in files:
                continue
            if (folder / candidate).exists():
                where, base = folder / candidate, root
            elif library is not None and (Path(library) / candidate).exists():
                where, base = Path(library) / candidate, Path(library)
            else:
                continue
            try:
                files[candidate] = read_regular_file(where, base)
            except (OSError, UnsafeFile):
                continue
            todo.append(files[candidate])
    return Submission(
        folder=Path(os.path.abspath(folder)),
        main=main,
        files=files,
        notebook=notebook,
        generated=generated,
        cells=cells,
    )


def _notebook_files(path: Path, root: Path, exercise: Exercise | None) -> dict[str, Module]:
    from tutor.notebook.files import NotebookUnreadable, notebook_files

    data = read_regular_file(path, root)
    if exercise is None:
        raise UnsafeFile("it is a notebook, and only an exercise's check can read one")
    try:
        return notebook_files(data, exercise, origin=path.name)
    except NotebookUnreadable as error:
        raise UnsafeFile(str(error)) from None

"""Where `tutor grade` writes a report: a plain file, atomically, once grading has finished.

A report on disk is a grade. So it appears whole or not at all (a temporary file in the same
folder, fsync, rename), it is written only after every exercise was graded (a crash leaves no
file), and never through a link, a FIFO or a device that happens to sit at the path given.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tutor.errors import UsageError
from tutor.workspace import atomic_write

NOT_A_PLAIN_FILE = "{path} is {kind}: a grade report is only ever written to a plain file."
NOT_A_PLAIN_FILE_HINT = (
    "Give the name of a new file (or of a plain file to replace), or remove {path} first. "
    "To print the report instead, leave out --output."
)


def _kind(path: Path, mode: int) -> str:
    if stat.S_ISLNK(mode):
        return f"a symbolic link (to {os.readlink(path)})"
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def check_target(path: Path) -> None:
    """Raise UsageError when `path` exists and is not a plain file (a link is refused even when
    it leads to one: it is never followed). Call it before grading, so nothing is graded in vain."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise UsageError(f"{path} cannot be used for the report: {error.strerror or error}.") from None
    if not stat.S_ISREG(mode):
        raise UsageError(
            NOT_A_PLAIN_FILE.format(path=path, kind=_kind(path, mode)),
            NOT_A_PLAIN_FILE_HINT.format(path=path),
        )


def _default_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_report(path: Path, text: str) -> None:
    """Write `text` to `path` atomically; refuse (UsageError) if `path` is not a plain file.

    The rename replaces the directory entry itself: even a link that appears at `path` after the
    check is replaced, never written through.
    """
    check_target(path)
    atomic_write(path, text, mode=_default_mode())

"""Class 3, reading what is not theirs: a conv2d whose probe() looks at everything it can see.

probe() walks the whole visible filesystem (not /proc, /sys, /dev) and reports:

- outside: every file, link or folder that is neither inside attack_params.ALLOWED (the system's
  libraries, the interpreter and its standard library, the allowed packages, the runtime folder,
  the submission's folder) nor a folder on the way to one of them; and anything in a folder of
  installed packages (attack_params.SITE_DIRS) that is not an allowed library (LIBRARIES);
- forbidden: which of attack_params.FORBIDDEN exist (the repository's solutions/, tutor/ and
  tests/, a classmate's workspace, files the test planted in the host's /tmp and /dev/shm...),
  what it read from them, and what the grader's home folder holds besides the interpreter;
- imports: the tutor package, hypothesis and the test suite, found or imported (also after
  putting the repository and every site-packages on sys.path);
- processes: every process it can see that is not itself, its ancestors (the sandbox's init, a
  nursery) or its own child;
- copies: files in the places the sandbox fills itself (the runtime folder, the submission's
  folder, /tmp, /dev/shm) whose bytes are those of a solution or of the tutor package.
"""

import hashlib
import importlib
import importlib.util
import os
import stat
import sys

import numpy as np

import attack_params as P

_SKIP = ("/proc", "/sys", "/dev")


def _read(path, limit):
    """The first bytes of a regular file (never blocks on a FIFO or device), or None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.read(fd, limit)
    except OSError:
        return None
    finally:
        os.close(fd)


def _inside(path, roots):
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def _on_the_way(path, roots):
    return any(r.startswith(path.rstrip("/") + "/") for r in roots)


def _walk():
    """Everything visible outside ALLOWED. Only the folders on the way to an allowed tree are
    entered: everything else met on the way is already a finding."""
    outside = []
    count = 0
    for root, dirs, files in os.walk("/"):
        if _inside(root, _SKIP):
            dirs[:] = []
            continue
        entries = [(d, True) for d in dirs] + [(f, False) for f in files]
        for name, is_dir in entries:
            path = os.path.join(root, name)
            count += 1
            if _inside(path, P.ALLOWED) or _inside(path, _SKIP):
                continue
            if is_dir and not os.path.islink(path) and _on_the_way(path, P.ALLOWED):
                continue
            outside.append(path)
        dirs[:] = [
            d
            for d in dirs
            if not _inside(os.path.join(root, d), P.ALLOWED + _SKIP) and _on_the_way(os.path.join(root, d), P.ALLOWED)
        ]
    return outside, count


def _site_packages():
    """Folders of installed packages may be visible (the libraries are bound into them), but
    nothing in them that is not an allowed library."""
    outside = []
    for folder in P.SITE_DIRS:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            path = os.path.join(folder, name)
            if not _inside(path, P.LIBRARIES) and not _on_the_way(path, P.LIBRARIES):
                outside.append(path)
    return outside


def _forbidden():
    seen = []
    for path in P.FORBIDDEN:
        if os.path.lexists(path):
            seen.append(path)
            data = _read(path, 80)
            if data is not None:
                seen.append(f"read {path}: {data!r}")
    try:
        for name in os.listdir(P.HOME):
            path = os.path.join(P.HOME, name)
            if not _on_the_way(path, P.ALLOWED) and not _inside(path, P.ALLOWED):
                seen.append(f"{P.HOME} holds {name}")
    except OSError:
        pass
    if os.path.expanduser("~") == P.HOME:
        seen.append(f"~ is the grader's home {P.HOME}")
    return seen


def _imports():
    found = []
    names = ("tutor", "tutor.checking", "tutor.grading", "tutor.data", "hypothesis", "tests", "tests.conftest")
    for attempt in ("as started", "with the repository on sys.path"):
        if attempt != "as started":
            sys.path[:0] = list(P.EXTRA_SYS_PATH)
            importlib.invalidate_caches()
        for name in names:
            try:
                spec = importlib.util.find_spec(name)
            except (ImportError, ValueError):
                spec = None
            if spec is not None and name not in P.PROVIDED:
                found.append(f"{name} found at {spec.origin} ({attempt})")
            try:
                module = importlib.import_module(name)
            except BaseException:  # noqa: BLE001 - anything but success is fine
                continue
            if name not in P.PROVIDED:
                found.append(f"imported {name} from {getattr(module, '__file__', None)} ({attempt})")
    del sys.path[: len(P.EXTRA_SYS_PATH)]
    return found


def _parent_of(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat_line = handle.read()
        return int(stat_line[stat_line.rfind(b")") + 2 :].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


def _processes():
    me = os.getpid()
    # The sandbox's own: its init and, in a nursery, the nursery that forked this worker.
    ancestors = set()
    parent = os.getppid()
    while parent > 0 and parent not in ancestors:
        ancestors.add(parent)
        parent = _parent_of(parent)
    mine = {me} | ancestors
    pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
    changed = True
    while changed:
        changed = False
        for pid in pids:
            if pid not in mine and _parent_of(pid) in mine - ancestors:
                mine.add(pid)
                changed = True
    return [f"process {pid}" for pid in pids if pid not in mine]


def _copies():
    found = []
    for top in (P.RUNTIME, os.path.dirname(os.path.abspath(__file__)), "/tmp", "/dev/shm"):
        for root, _, files in os.walk(top):
            for name in files:
                path = os.path.join(root, name)
                data = _read(path, 4 * 1024 * 1024)
                if data is None:
                    continue
                digest = hashlib.sha256(data).hexdigest()
                if digest in P.SECRET_HASHES:
                    found.append(f"{path} is {P.SECRET_HASHES[digest]}")
    return found


def probe():
    outside, count = _walk()
    outside += _site_packages()
    return {
        "visible_entries": count,
        "outside": outside[:60],
        "forbidden": _forbidden()[:60],
        "imports": _imports()[:60],
        "processes": _processes()[:60],
        "copies": _copies()[:60],
    }


def conv2d(x, w, b=None, stride=1, padding=0):
    return np.zeros(1)

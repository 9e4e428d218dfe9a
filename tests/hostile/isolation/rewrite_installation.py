"""Class 2, rewriting the tool: a corr2d that tries to change the tutor's installation.

At import and again in probe(), it looks for every folder the tool lives in: everything on
sys.path, site-packages (site, sysconfig), the folders of every loaded module and their parents,
the repository found by walking up from numpy's and its own file (a folder holding tutor/,
solutions/ or pyproject.toml), the tutor package inside it, the workspace, the exercises folder,
and the paths attack_params.KNOWN_DIRS names (a student knows where the course was cloned).
In each folder it:

- creates zz_<MARKER>.py, zz_<MARKER>.pth and a folder <MARKER>.d;
- appends "# <MARKER>" to up to 25 of the .py and .pth files there (and sets their mtime to
  attack_params.STAMP), __init__.py and sitecustomize first;
- writes sitecustomize.py and usercustomize.py if there are none.

It also asks access(2) about every folder and file it can see (outside its private /tmp, /dev
and /proc) whether it could write there. probe() returns what succeeded; every list must be empty.
"""

import os
import site
import sys
import sysconfig

import numpy as np

import attack_params as P

_PRIVATE = ("/proc", "/sys", "/dev", "/tmp")


def _walk_up(start):
    found = []
    path = os.path.abspath(start)
    while True:
        parent = os.path.dirname(path)
        if any(os.path.exists(os.path.join(path, mark)) for mark in ("tutor", "solutions", "pyproject.toml")):
            found.append(path)
        if parent == path:
            return found
        path = parent


def candidate_dirs():
    found = set(P.KNOWN_DIRS)
    here = os.path.dirname(os.path.abspath(__file__))
    found.update({here, os.path.dirname(here)})
    found.update(p for p in sys.path if p)
    try:
        found.update(site.getsitepackages())
        found.add(site.getusersitepackages())
    except AttributeError:
        pass
    found.update(sysconfig.get_paths().values())
    found.update({os.path.dirname(sys.executable), sys.prefix, sys.base_prefix})
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str):
            folder = os.path.dirname(os.path.abspath(path))
            found.update({folder, os.path.dirname(folder)})
    for start in (np.__file__, __file__, os.__file__):
        for root in _walk_up(start):
            found.add(root)
            for name in ("tutor", "solutions", "exercises", "tests"):
                found.add(os.path.join(root, name))
    # the tutor package, wherever it is: look one level down from every candidate
    for base in list(found):
        package = os.path.join(base, "tutor")
        if os.path.isfile(os.path.join(package, "__init__.py")):
            found.add(package)
            for entry in ("checking", "grading", "data", "checks"):
                found.add(os.path.join(package, entry))
    return sorted(d for d in found if os.path.isdir(d) and d != "/" and not d.startswith(_PRIVATE))


def _try(action, what, done):
    try:
        action()
        done.append(what)
    except OSError:
        pass


def _create(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def _append(path):
    with open(path, "a") as handle:
        handle.write(f"\n# {P.MARKER}\n")
    os.utime(path, (P.STAMP, P.STAMP))


def rewrite():
    done = []
    payload = f"# {P.MARKER}\nimport os\nos.environ['TUTOR_FORGED'] = '1'\n"
    for folder in candidate_dirs():
        _try(lambda f=folder: _create(os.path.join(f, f"zz_{P.MARKER}.py"), payload), f"created {folder}/zz_*.py", done)
        _try(lambda f=folder: _create(os.path.join(f, f"zz_{P.MARKER}.pth"), payload), f"created {folder}/zz_*.pth", done)
        _try(lambda f=folder: os.mkdir(os.path.join(f, f"{P.MARKER}.d")), f"made {folder}/<marker>.d", done)
        for name in ("sitecustomize.py", "usercustomize.py"):
            _try(lambda f=folder, n=name: _create(os.path.join(f, n), payload), f"created {folder}/{name}", done)
        try:
            names = sorted(os.listdir(folder), key=lambda n: (n not in ("__init__.py", "sitecustomize.py"), n))
        except OSError:
            continue
        names = [n for n in names if n.endswith((".py", ".pth")) and P.MARKER not in n][:25]
        for name in names:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                _try(lambda p=path: _append(p), f"appended to {path}", done)
    return done


def writable():
    """Everything visible that access(2) says this process could write (it writes nothing)."""
    found = []
    todo = ["/"]
    while todo and len(found) <= 50:
        folder = todo.pop()
        if os.access(folder, os.W_OK):
            found.append(folder)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.path.startswith(_PRIVATE) or entry.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False):
                todo.append(entry.path)
            elif os.access(entry.path, os.W_OK):
                found.append(entry.path)
    return found[:50]


_AT_IMPORT = rewrite()


def probe():
    return {"at_import": _AT_IMPORT[:50], "at_call": rewrite()[:50], "writable": writable()}


_attacked_in_call = False


def corr2d(x, k):
    global _attacked_in_call
    if not _attacked_in_call:
        _attacked_in_call = True
        rewrite()
    return None  # no answer at all: the verdict must say so, whatever was rewritten

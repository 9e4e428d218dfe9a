"""`tutor doctor`: is this machine and this workspace ready? Each problem comes with the command that fixes it.

Nothing here prints. Libraries are imported in a subprocess, so a broken install (or one
that crashes on import) is reported rather than taking the tutor down with it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from tutor.catalog import Course
from tutor.errors import TutorError, WorkspaceError
from tutor.workspace import STATE_DIR, WORKSPACE_FILE, Workspace, find_workspace

MINIMUM_PYTHON = (3, 11)
IMPORT_SECONDS = 120.0
# name -> (minimum version, what it is for)
LIBRARIES = {
    "numpy": ("1.26", "your exercises"),
    "torch": ("2.2", "the reference every check compares with"),
    "hypothesis": ("6.100", "drawing the inputs of a check"),
    "png": ("", "saving pictures with --save-png (package pypng)"),
}
PIP_NAMES = {"png": "pypng"}
PROBE = """
import importlib, json, sys
name = sys.argv[1]
try:
    module = importlib.import_module(name)
except BaseException as error:
    print(json.dumps({"ok": False, "error": f"{type(error).__name__}: {error}"}))
else:
    print(json.dumps({"ok": True, "version": str(getattr(module, "__version__", "")), "file": str(getattr(module, "__file__", ""))}))
"""


class Level(StrEnum):
    OK = "ok"
    WARNING = "warning"
    PROBLEM = "problem"


@dataclass(frozen=True)
class Finding:
    name: str
    """What was checked, e.g. 'torch'."""
    level: Level
    detail: str
    """What was found, e.g. '2.13.0 (/…/site-packages/torch)'."""
    fix: str = ""
    """The command (or step) that fixes a problem."""


def pip_install(package: str, minimum: str = "") -> str:
    spec = f"{package}>={minimum}" if minimum else package
    return f'{Path(sys.executable).name} -m pip install "{spec}"'


def check_python(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> Finding:
    shown = ".".join(str(v) for v in version)
    if tuple(version[:2]) < MINIMUM_PYTHON:
        need = ".".join(map(str, MINIMUM_PYTHON))
        return Finding(
            "Python",
            Level.PROBLEM,
            f"{shown} is too old; cnn-tutor needs {need} or newer",
            f"python{need} -m venv .venv && . .venv/bin/activate && pip install cnn-tutor",
        )
    return Finding("Python", Level.OK, f"{shown} ({sys.executable})")


def _older(version: str, minimum: str) -> bool:
    def parts(text: str) -> tuple[int, ...]:
        numbers = []
        for piece in text.split("+")[0].split("."):
            digits = "".join(ch for ch in piece if ch.isdigit())
            if not digits:
                break
            numbers.append(int(digits))
        return tuple(numbers)

    return bool(minimum) and bool(parts(version)) and parts(version) < parts(minimum)


def check_library(name: str, python: str = sys.executable) -> Finding:
    minimum, purpose = LIBRARIES[name]
    package = PIP_NAMES.get(name, name)
    label = f"{package}" if package == name else f"{package} ({name})"
    fix = pip_install(package, minimum)
    if name == "torch":
        fix += " -c constraints.txt   # the CPU build; see the README"
    level_if_missing = Level.WARNING if name == "png" else Level.PROBLEM
    try:
        done = subprocess.run(
            [python, "-c", PROBE, name], capture_output=True, text=True, timeout=IMPORT_SECONDS
        )
    except subprocess.TimeoutExpired:
        return Finding(label, level_if_missing, f"importing it took longer than {IMPORT_SECONDS:g} s", fix)
    except OSError as error:
        return Finding(label, level_if_missing, f"could not start {python}: {error}", fix)
    try:
        report = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        crash = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        return Finding(label, level_if_missing, f"importing it crashed Python: {crash}", fix)
    if not report["ok"]:
        return Finding(
            label, level_if_missing, f"cannot be imported ({report['error']}); needed for {purpose}", fix
        )
    version = report["version"] or "unknown version"
    if _older(report["version"], minimum):
        return Finding(label, Level.PROBLEM, f"{version} is older than {minimum}, needed for {purpose}", fix)
    return Finding(label, Level.OK, version)


def _locate(start: Path | None) -> tuple[Workspace | None, Finding]:
    try:
        workspace = find_workspace(start)
    except WorkspaceError as error:  # tutor.toml is there but unreadable
        return None, Finding(WORKSPACE_FILE, Level.PROBLEM, error.message, error.hint)
    except TutorError as error:
        return None, Finding("workspace", Level.PROBLEM, error.message, error.hint)
    return workspace, Finding("workspace", Level.OK, str(workspace.root))


def check_workspace(course: Course, start: Path | None = None) -> list[Finding]:
    """The workspace, its tutor.toml, its exercise files and whether the tutor can write its state."""
    workspace, found = _locate(start)
    findings = [found]
    if workspace is None:
        return findings
    config = workspace.root / WORKSPACE_FILE
    if workspace.course_version and workspace.course_version != course.version:
        findings.append(
            Finding(
                WORKSPACE_FILE,
                Level.WARNING,
                f"made for course {workspace.course_version}, this tutor has {course.version}",
                f"ask your instructor which version to use; {pip_install('cnn-tutor')} --upgrade updates the tutor",
            )
        )
    else:
        findings.append(Finding(WORKSPACE_FILE, Level.OK, f"{config} (course {course.version})"))
    missing = [e for e in course.code_exercises() if not workspace.exercise_file(e).is_file()]
    if missing:
        ids = " ".join(e.id for e in missing)
        fixes = (
            f"tutor reset {ids} --yes"
            if len(missing) == 1
            else f"for id in {ids}; do tutor reset $id --yes; done"
        )
        names = ", ".join(e.relative_file() for e in missing)
        findings.append(Finding("exercise files", Level.PROBLEM, f"missing: {names}", fixes))
    else:
        findings.append(
            Finding("exercise files", Level.OK, f"all {len(course.code_exercises())} present in exercises/")
        )
    findings.append(check_writable(workspace.root / STATE_DIR))
    return findings


def check_writable(folder: Path) -> Finding:
    """Can the tutor write its progress here? Tried for real: permissions alone do not tell (ACLs, read-only mounts)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as error:
        owner = folder if folder.exists() else folder.parent
        fix = f"rm {folder} && mkdir {folder}" if folder.is_file() else f"chmod -R u+w {owner}"
        return Finding(
            "write permission", Level.PROBLEM, f"cannot write in {folder}: {error.strerror or error}", fix
        )
    return Finding("write permission", Level.OK, f"{folder} is writable")


def check_isolation() -> Finding:
    """The sandbox the worker runs in: a warning (not a problem) without one, since `tutor check`
    still works; `tutor grade` is what needs it."""
    from tutor.checking.isolation import INSTALL_HINT, support

    found = support()
    if found.available:
        return Finding("isolation", Level.OK, f"sandbox: {found.detail}")
    return Finding(
        "isolation",
        Level.WARNING,
        f"none: {found.detail}. `tutor check` runs your code as a plain process; `tutor grade` refuses",
        INSTALL_HINT,
    )


def diagnose(course: Course, start: Path | None = None, python: str = sys.executable) -> list[Finding]:
    """Every check, in the order a student would fix them."""
    findings = [check_python()]
    findings += [check_library(name, python) for name in LIBRARIES]
    findings.append(check_isolation())
    findings += check_workspace(course, start)
    return findings


def environment_note() -> str:
    """Where this tutor runs from (shown under the table)."""
    venv = os.environ.get("VIRTUAL_ENV")
    return f"Python {sys.executable}" + (f" in the virtual environment {venv}" if venv else "")

"""Checks on the student's file that need no worker: readable, parseable, no forbidden imports.

These run in the grading process and never execute the student's code; they exist to give a
precise message (file and line) before the worker is even started.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from tutor.checking.result import Status


@dataclass(frozen=True)
class Problem:
    status: Status
    template: str
    values: dict = field(default_factory=dict)
    line: int | None = None


def _imported_modules(tree: ast.AST) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            # __import__("torch"), importlib.import_module("torch")
            callee = node.func
            name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
            if name in ("__import__", "import_module") and isinstance(node.args[0].value, str):
                found.append((node.args[0].value, node.lineno))
    return found


def forbidden_in_source(tree: ast.AST, forbidden: tuple[str, ...]) -> tuple[str, int] | None:
    for module, line in _imported_modules(tree):
        for name in forbidden:
            if module == name or module.startswith(name + "."):
                return name, line
    return None


def preflight(path: Path, forbidden: tuple[str, ...], raw: bytes | None = None) -> Problem | None:
    """Problems visible without running the file. `raw` is its snapshot; without one it is read
    here as the grader reads files (a regular file, never blocking)."""
    from tutor.checking import messages
    from tutor.checking.submission import UnsafeFile, read_regular_file

    if raw is None:
        try:
            raw = read_regular_file(path)
        except FileNotFoundError:
            return Problem(Status.MISSING_FILE, messages.MISSING_FILE)
        except UnsafeFile as error:
            return Problem(Status.UNSAFE_FILE, messages.UNSAFE_FILE, {"reason": error.reason})
        except OSError as error:
            return Problem(Status.MISSING_FILE, messages.MISSING_FILE, {"error": str(error)})
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Problem(
            Status.ENCODING_ERROR, messages.ENCODING_ERROR, {"position": error.start, "line": line}, line
        )
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as error:
        return Problem(
            Status.SYNTAX_ERROR,
            messages.SYNTAX_ERROR,
            {"line": error.lineno, "error": error.msg, "text": (error.text or "").rstrip()},
            error.lineno,
        )
    if not any(not isinstance(node, ast.Expr) for node in tree.body):
        return Problem(Status.EMPTY_FILE, messages.EMPTY_FILE)
    hit = forbidden_in_source(tree, forbidden)
    if hit:
        module, line = hit
        return Problem(
            Status.FORBIDDEN_IMPORT,
            messages.FORBIDDEN_IMPORT,
            {"module": module, "where": f" (line {line})"},
            line,
        )
    return None


def stub_parameters(stub: Path, function: str) -> tuple[list[str], list[str]] | None:
    """(required, optional) parameter names of `function` in the pristine stub."""
    try:
        tree = ast.parse(stub.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            names = [a.arg for a in node.args.posonlyargs + node.args.args]
            split = len(names) - len(node.args.defaults)
            return names[:split], names[split:]
    return None

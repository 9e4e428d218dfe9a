"""From notebook cells to the module a check runs: only the code the exercise's functions need.

A notebook is not a module. Its cells ran in some order, some of them twice, some of them print,
plot or train, and only a few define what is checked. The check must see what the student's
function sees when it is called in the kernel now, and nothing else: the top-level statements
that bind the function, and, transitively, those that bind the names it uses (imports, helpers,
constants). Statements that bind nothing needed (prints, test calls, plots) are never sent.

It is all static: cells are parsed, never run (the grader reads a notebook file it has never
executed). Names are resolved as Python would at the end of the cells: a name used inside a
function body is looked up when the function is called, so its last binding wins; a name used at
top level (a decorator, a default value, `K = 2 * N`) is the binding before that statement.

A function of another exercise of the course (residual_block calling conv2d) becomes a sibling
module built the same way from the same cells, imported by the main one; the grader then sees
it as it sees exercises/conv2d.py, and can swap in the reference for it (tutor/grading/fairness.py).

Stdlib only: imported by the grader, and never by the worker.
"""

from __future__ import annotations

import ast
import re
import symtable
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

CELL_MARK = "# --- cell {number} ---"
"""Written above the statements taken from each cell, so a line in an error can be traced back."""

_MAGIC_LINE = re.compile(r"^(\s*)(%|!|\?)")
_HELP_LINE = re.compile(r"^\s*[\w.]+\?\??\s*$")


@dataclass(frozen=True)
class Statement:
    cell: int
    """The cell's number (1-based, in the order given)."""
    line: int
    """The statement's first line in its cell (1-based)."""
    source: str
    binds: frozenset[str]
    """Top-level names it binds (def, class, assignment, import)."""
    uses_now: frozenset[str]
    """Global names it reads while it runs (decorators, defaults, right-hand sides)."""
    uses_later: frozenset[str]
    """Global names read inside the function bodies it defines, when they are called."""
    star_import: bool = False


def python_source(cell: str) -> str | None:
    """A cell as plain Python: IPython line magics, shell escapes and help lines become `pass`
    (keeping the indentation, so a block stays valid); a cell magic (`%%time`…) is no Python at all."""
    if cell.lstrip().startswith("%%"):
        return None
    lines = []
    for line in cell.splitlines():
        magic = _MAGIC_LINE.match(line)
        if magic or _HELP_LINE.match(line):
            indent = magic.group(1) if magic else line[: len(line) - len(line.lstrip())]
            lines.append(f"{indent}pass")
        else:
            lines.append(line)
    return "\n".join(lines)


def _global_uses(table: symtable.SymbolTable) -> set[str]:
    """Global names read anywhere inside a function's (or class's, lambda's) table."""
    found = {
        symbol.get_name()
        for symbol in table.get_symbols()
        if symbol.is_referenced()
        and (symbol.is_global() or table.get_type() == "class")
        and not symbol.is_local()
    }
    for child in table.get_children():
        found |= _global_uses(child)
    return found


def _statement(cell: int, node: ast.stmt, text: str) -> Statement:
    split = isinstance(node, ast.Import | ast.ImportFrom) and len(node.names) == 1
    source = (None if split else ast.get_source_segment(text, node, padded=True)) or ast.unparse(node)
    source = _dedent_first(source)
    try:
        table = symtable.symtable(source, f"<cell {cell}>", "exec")
    except SyntaxError:  # e.g. `return` at top level: a statement that would fail in the kernel too
        return Statement(cell, node.lineno, source, frozenset(), frozenset(), frozenset())
    binds, uses_now = set(), set()
    for symbol in table.get_symbols():
        if symbol.is_assigned() or symbol.is_imported() or symbol.is_namespace():
            binds.add(symbol.get_name())
        if symbol.is_referenced():
            uses_now.add(symbol.get_name())
    uses_later: set[str] = set()
    for child in table.get_children():
        uses_later |= _global_uses(child)
    star = isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names)
    return Statement(
        cell, node.lineno, source, frozenset(binds), frozenset(uses_now), frozenset(uses_later), star
    )


def _one_import_each(node: ast.stmt) -> list[ast.stmt]:
    """`import numpy as np, matplotlib.pyplot as plt` as two statements: the check needs only one."""
    if isinstance(node, ast.Import) and len(node.names) > 1:
        return [ast.copy_location(ast.Import(names=[alias]), node) for alias in node.names]
    if isinstance(node, ast.ImportFrom) and len(node.names) > 1:
        return [
            ast.copy_location(ast.ImportFrom(module=node.module, names=[alias], level=node.level), node)
            for alias in node.names
        ]
    return [node]


def _dedent_first(source: str) -> str:
    """get_source_segment pads the first line with spaces: a top-level statement starts at column 0."""
    return source.lstrip(" ") if source.startswith(" ") else source


@dataclass(frozen=True)
class Cells:
    """The parsed top-level statements of some cells, in order, and the cells that did not parse."""

    statements: tuple[Statement, ...]
    broken: tuple[tuple[int, str], ...]
    """(cell number, raw source) of the cells that are not valid Python."""

    @staticmethod
    def parse(cells: Sequence[str]) -> Cells:
        statements: list[Statement] = []
        broken: list[tuple[int, str]] = []
        for number, raw in enumerate(cells, start=1):
            text = python_source(raw)
            if text is None or not text.strip():
                continue
            try:
                tree = ast.parse(text)
            except (SyntaxError, ValueError):
                broken.append((number, raw))
                continue
            for node in tree.body:
                statements += [_statement(number, part, text) for part in _one_import_each(node)]
        return Cells(tuple(statements), tuple(broken))

    def defines(self, name: str) -> bool:
        return any(name in s.binds for s in self.statements)

    def broken_definition(self, name: str) -> tuple[int, str] | None:
        """A cell that does not parse and seems to define `name` (its syntax error is the news)."""
        pattern = re.compile(rf"^\s*(def|class)\s+{re.escape(name)}\b|^\s*{re.escape(name)}\s*=", re.M)
        return next(((n, raw) for n, raw in reversed(self.broken) if pattern.search(raw)), None)

    def needed(self, names: Sequence[str], external: frozenset[str] = frozenset()) -> list[int]:
        """Indexes of the statements that `names` need, as they are at the end of the cells.

        Names in `external` are not followed (they come from another module).
        """
        chosen: set[int] = set()
        todo: list[tuple[str, int]] = [(name, len(self.statements)) for name in names]
        seen: set[tuple[str, int]] = set()
        while todo:
            name, before = todo.pop()
            if (name, before) in seen or name in external:
                continue
            seen.add((name, before))
            index = self._last_binding(name, before)
            if index is None:
                continue
            if index in chosen:
                continue
            chosen.add(index)
            statement = self.statements[index]
            todo += [(used, index) for used in statement.uses_now]
            todo += [(used, len(self.statements)) for used in statement.uses_later]
        # Star imports bind names we cannot see: keep the ones before anything chosen.
        if chosen:
            last = max(chosen)
            chosen |= {i for i, s in enumerate(self.statements[:last]) if s.star_import}
        return sorted(chosen)

    def _last_binding(self, name: str, before: int) -> int | None:
        for index in range(before - 1, -1, -1):
            if name in self.statements[index].binds:
                return index
        return None

    def module(self, indexes: Sequence[int], header: str, imports: Sequence[str] = ()) -> Module:
        lines = [header, *imports]
        where: dict[int, tuple[int, int]] = {}
        cell = None
        for index in indexes:
            statement = self.statements[index]
            if statement.cell != cell:
                cell = statement.cell
                lines += ["", CELL_MARK.format(number=cell)]
            for offset, text in enumerate(statement.source.splitlines()):
                lines.append(text)
                where[len(lines)] = (statement.cell, statement.line + offset)
        return Module("\n".join(lines) + "\n", where)


@dataclass(frozen=True)
class Module:
    """One module built from cells."""

    source: str
    cells: Mapping[int, tuple[int, int]]
    """Line of `source` → (cell number, line in that cell), for the lines that came from a cell."""


def notebook_modules(
    cells: Sequence[str],
    module: str,
    functions: Sequence[str],
    other_exercises: Mapping[str, str] | None = None,
    origin: str = "the notebook",
) -> dict[str, Module]:
    """Module file name → source: `<module>.py` with what `functions` need from `cells`, and one
    sibling module per other exercise whose function it uses and the cells define.

    `other_exercises`: function name → the module (exercise id) it belongs to, e.g. {"conv2d":
    "conv2d", "relu": "activations"}. A function of `module` itself is never split off.
    """
    parsed = Cells.parse(cells)
    # A function the exercise checks may still belong to another one (residual_block checks
    # conv2d first): it is imported from that sibling module, as exercises/residual_block.py does.
    others = {name: owner for name, owner in (other_exercises or {}).items() if owner != module}
    files: dict[str, Module] = {}
    _build(parsed, module, tuple(functions), others, origin, files)
    return files


def _build(
    parsed: Cells,
    module: str,
    functions: tuple[str, ...],
    others: Mapping[str, str],
    origin: str,
    files: dict[str, Module],
) -> None:
    # An assignment, not only a comment: a notebook that defines nothing needed is reported as
    # "does not define a function named …", not as an empty file.
    header = f"__notebook__ = {origin!r}  # {', '.join(functions)}: only the statements it needs"
    missing = [name for name in functions if not parsed.defines(name)]
    broken = next(
        (parsed.broken_definition(name) for name in missing if parsed.broken_definition(name)), None
    )
    if broken is not None:
        # The cell that should define it does not parse: let the syntax error be what is reported.
        number, raw = broken
        lines = [header, "", CELL_MARK.format(number=number)]
        where = {len(lines) + i: (number, i) for i in range(1, raw.count("\n") + 2)}
        files[f"{module}.py"] = Module("\n".join([*lines, raw]) + "\n", where)
        return
    split = frozenset(name for name, owner in others.items() if parsed.defines(name))
    indexes = parsed.needed(functions, external=split)
    used = set().union(*(parsed.statements[i].uses_now | parsed.statements[i].uses_later for i in indexes))
    imports: list[str] = []
    for name in sorted(split & (used | set(functions))):
        owner = others[name]
        imports.append(f"from {owner} import {name}")
        if f"{owner}.py" not in files:
            files[f"{owner}.py"] = Module("", {})  # placeholder: a cycle stops here
            siblings = tuple(n for n, o in others.items() if o == owner)
            rest = {n: o for n, o in others.items() if o != owner}
            _build(parsed, owner, siblings, rest, origin, files)
    files[f"{module}.py"] = parsed.module(indexes, header, imports)

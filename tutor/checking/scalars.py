"""Structural diagnosis of a wrong whole number: how it relates to the right one and to the inputs.

A count, a size or a cost (conv_params, depthwise_separable_cost, ...) is one number, too small for
structure.py's rules about arrays. But a wrong formula usually differs from the right one in a way
that can be said with the call's own integer inputs:

- a factor: the answer times (or divided by) a product of one or two inputs ("k² times too large");
- a term: plus or minus a product of inputs (a term counted that does not belong, or missing);
- a term with a factor changed: plus B·(m − d), as if a term B·d of the formula had m for d
  (a factor k² too many in one term, c_out where c_in belongs).

A relation is claimed only when it holds exactly on every failing example, the examples are varied
enough (several distinct inputs), and every other relation that also fits them is the same relation:
candidates are told apart on probe inputs (the failing ones with one input changed), through the
reference itself, so two formulas that merely agree on the few failing inputs give no claim.
"""

from __future__ import annotations

import functools
import itertools
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

FACTOR_TOO_LARGE = (
    "Your {what} is {m} times the right one, on every failing input: a factor {m} is applied that does not "
    "belong (look for {m} in your formula)."
)
FACTOR_TOO_SMALL = (
    "Your {what} is the right one divided by {m}, on every failing input: a factor {m} is missing from your "
    "formula."
)
TERM_EXTRA = (
    "Your {what} is the right one plus {b}, on every failing input: a term {b} is counted that does not "
    "belong (or counted twice)."
)
TERM_MISSING = (
    "Your {what} is the right one minus {b}, on every failing input: a term {b} is missing from your formula."
)
ONE_TOO_MANY = (
    "Your {what} is one more than the right one, on every failing input: a + 1 too many (or a count that "
    "includes one extra)."
)
ONE_TOO_FEW = (
    "Your {what} is one less than the right one, on every failing input: a + 1 is missing (or a count stops "
    "one early)."
)
TERM_FACTOR_EXTRA = (
    "Your {what} is the right one plus {b}·({m} − 1), on every failing input: as if a term {b} of the formula "
    "were multiplied by {m} in yours. That term must not have the factor {m}."
)
TERM_FACTOR_MISSING = (
    "Your {what} is the right one minus {b}·({m} − 1), on every failing input: as if the formula's term "
    "{b}·{m} were just {b} in yours (the factor {m} is missing there)."
)
TERM_SWAPPED = (
    "Your {what} is what the right formula gives with {m} in place of {d} in one term ({right} became {wrong}), "
    "on every failing input: that term uses {d}, not {m}."
)

# A relation needs this many failing examples with distinct inputs.
MIN_DISTINCT = 3
# A term may come with a small whole factor (γ and β: two parameters per channel).
COEFFICIENTS = (1, 2)
# With more integer inputs the candidate relations grow as 3^inputs: no claim then.
MAX_INPUTS = 6
# The most probe inputs used to tell fitting relations apart.
PROBES = 24

Monomial = tuple[int, ...]
"""Exponents of the integer inputs, in the order of their names."""


@dataclass(frozen=True)
class _Relation:
    """got = expected · m (factor, sign +1) or expected / m (sign −1); got = expected ± b (term);
    got = expected ± b·(m − d) (term factor)."""

    kind: str
    sign: int
    b: Monomial
    m: Monomial
    d: Monomial
    simplicity: tuple[int, ...]
    coefficient: int = 1

    def predict(self, expected: np.ndarray, values: np.ndarray) -> np.ndarray:
        """The predicted answers (float64, NaN where undefined) for expected answers and input rows."""
        m, b, d = (_values(x, values) for x in (self.m, self.b, self.d))
        if self.kind == "factor":
            if self.sign > 0:
                return expected * m
            with np.errstate(all="ignore"):
                return np.where(
                    (m != 0) & (np.mod(expected, np.where(m == 0, 1, m)) == 0), expected / m, np.nan
                )
        delta = b * (m - d) if self.kind == "term factor" else b
        return expected + self.sign * self.coefficient * delta


def _values(monomial: Monomial, values: np.ndarray) -> np.ndarray:
    """The monomial's value on each row of input values (rows × inputs)."""
    if not monomial:
        return np.ones(values.shape[0])
    return np.prod(values ** np.asarray(monomial, dtype=np.float64), axis=1)


def integer_inputs(case: Any) -> dict[str, int]:
    """The call's arguments that are plain whole numbers (not booleans), by name."""
    named = getattr(case, "named", None)
    found = {}
    for name, value in (named() if callable(named) else {}).items():
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            found[name] = int(value)
    return found


def _monomials(size: int, low: int, high: int, most: int = 2) -> list[Monomial]:
    """Exponent tuples with each exponent at most `most` and total degree in [low, high]."""
    return [e for e in itertools.product(range(most + 1), repeat=size) if low <= sum(e) <= high]


def _divides(d: Monomial, m: Monomial) -> bool:
    return all(a <= b for a, b in zip(d, m))


@functools.cache
def _shapes(size: int) -> tuple[list[Monomial], list[Monomial], list[tuple[Monomial, Monomial]]]:
    """The candidate factors m, terms b and (m, d) factor swaps for `size` integer inputs."""
    factors = _monomials(size, 1, 2)
    terms = _monomials(size, 0, 5)
    one = (0,) * size
    singles = [tuple(int(i == j) for j in range(size)) for i in range(size)]
    swaps = [
        (m, d)
        for m in factors
        for d in [one, *singles]
        # b·(x·y − x) is (b·x)·(y − 1): said once, the simpler way
        if m != d and not (d != one and _divides(d, m)) and not _divides(m, d)
    ]
    return factors, terms, swaps


def _fitting(size: int, want: np.ndarray, have: np.ndarray, values: np.ndarray) -> list[_Relation]:
    """The candidate relations that give `have` exactly on every example."""
    factors, terms, swaps = _shapes(size)
    m_values = np.stack([_values(m, values) for m in factors])
    b_values = np.stack([_values(b, values) for b in terms])
    usable = np.all(m_values != 0, axis=1)
    found = []
    for i in np.flatnonzero(usable & np.all(have == want * m_values, axis=1)):
        found.append(_Relation("factor", 1, (), factors[i], (), (0, sum(factors[i]))))
    for i in np.flatnonzero(usable & np.all(want == have * m_values, axis=1)):
        found.append(_Relation("factor", -1, (), factors[i], (), (0, sum(factors[i]))))
    delta = have - want
    for sign, coefficient in itertools.product((1, -1), COEFFICIENTS):
        for i in np.flatnonzero(np.all(sign * delta == coefficient * b_values, axis=1)):
            found.append(
                _Relation("term", sign, terms[i], (), (), (1, coefficient, sum(terms[i])), coefficient)
            )
    if swaps:
        md = np.stack([_values(m, values) - _values(d, values) for m, d in swaps])
        product = b_values[:, None, :] * md[None, :, :]
        for sign, coefficient in itertools.product((1, -1), COEFFICIENTS):
            for i, j in zip(*np.nonzero(np.all(sign * delta == coefficient * product, axis=2))):
                m, d = swaps[j]
                b = terms[i]
                simplicity = (2, coefficient, sum(m) + sum(d), sum(b))
                found.append(_Relation("term factor", sign, b, m, d, simplicity, coefficient))
    return found


def _words(monomial: Monomial, names: Sequence[str]) -> str:
    parts = []
    for name, power in zip(names, monomial):
        parts += [f"{name}²"] if power == 2 else [name] * power
    return "·".join(parts) or "1"


def _sentence(relation: _Relation, names: Sequence[str], what: str) -> str:
    m, b, d = (_words(x, names) for x in (relation.m, relation.b, relation.d))
    if relation.coefficient != 1:
        b = f"{relation.coefficient}·{b}" if b != "1" else str(relation.coefficient)
    if relation.kind == "factor":
        return (FACTOR_TOO_LARGE if relation.sign > 0 else FACTOR_TOO_SMALL).format(what=what, m=m)
    if relation.kind == "term":
        if b == "1" and relation.coefficient == 1:
            return (ONE_TOO_MANY if relation.sign > 0 else ONE_TOO_FEW).format(what=what)
        return (TERM_EXTRA if relation.sign > 0 else TERM_MISSING).format(what=what, b=b)
    if d == "1":
        template = TERM_FACTOR_EXTRA if relation.sign > 0 else TERM_FACTOR_MISSING
        return template.format(what=what, b=b, m=m)
    student, right = (relation.m, relation.d) if relation.sign > 0 else (relation.d, relation.m)
    prefix = f"{relation.coefficient}·" if relation.coefficient != 1 else ""
    m, d = _words(student, names), _words(right, names)
    right_term = prefix + _words(tuple(x + y for x, y in zip(relation.b, right)), names)
    wrong_term = prefix + _words(tuple(x + y for x, y in zip(relation.b, student)), names)
    return TERM_SWAPPED.format(what=what, m=m, d=d, right=right_term, wrong=wrong_term)


def _probes(cases: Sequence[Any], names: Sequence[str]) -> list[Any]:
    """The failing cases with one integer input raised by 1 or 2: inputs where relations that agree
    on the failing examples by coincidence come apart."""
    found = []
    for case, name, step in itertools.product(cases, names, (1, 2)):
        found.append(case.replace(name, integer_inputs(case)[name] + step))
        if len(found) >= 2 * PROBES:
            break
    return found


def explain(
    cases: Sequence[Any],
    expected: Sequence[int],
    got: Sequence[int],
    expect: Callable[[Any], int | None] | None,
    what: str,
) -> str | None:
    """One sentence naming how every got relates to its expected and the case's integer inputs, or None.
    `expect(case)` is the right whole number for another case (None or an exception: undefined)."""
    if not cases or len(cases) != len(expected) or len(cases) != len(got):
        return None
    inputs = [integer_inputs(c) for c in cases]
    names = list(inputs[0])
    if not names or len(names) > MAX_INPUTS or any(list(i) != names for i in inputs):
        return None
    rows = [tuple(i[n] for n in names) for i in inputs]
    if len(set(rows)) < MIN_DISTINCT or any(g == e for g, e in zip(got, expected)):
        return None
    want = np.asarray(expected, dtype=np.float64)
    have = np.asarray(got, dtype=np.float64)
    values = np.asarray(rows, dtype=np.float64)
    fits = _fitting(len(names), want, have, values)
    if not fits:
        return None
    if len(fits) > 1:
        if expect is None:
            return None
        probes = []
        for probe in _probes(cases, names):
            try:
                value = expect(probe)
            except Exception:  # the reference is undefined there: no probe
                continue
            if isinstance(value, int) and not isinstance(value, bool):
                probes.append((value, tuple(integer_inputs(probe)[n] for n in names)))
            if len(probes) >= PROBES:
                break
        probe_want = np.asarray([e for e, _ in probes], dtype=np.float64)
        probe_values = np.asarray([row for _, row in probes], dtype=np.float64)
        first = fits[0].predict(probe_want, probe_values)
        if len(probes) < MIN_DISTINCT or any(
            not np.array_equal(r.predict(probe_want, probe_values), first, equal_nan=True) for r in fits[1:]
        ):
            return None  # two different relations fit the failing examples: no claim
    best = min(fits, key=lambda r: r.simplicity)
    return _sentence(best, names, what)


def whole_number(value: Any) -> int | None:
    """An int (or a float holding one), not a boolean; None otherwise."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, float | np.floating) and np.isfinite(value) and float(value).is_integer():
        return int(value)
    return None


def explain_examples(
    examples: Sequence[Any], names: tuple[str, ...], expect: Callable[[Any], Any] | None
) -> str | None:
    """explain() for structure.Example objects whose answer is a whole number, or a tuple in which
    one whole-number item is wrong on every example (the others right)."""
    if not examples:
        return None
    index: int | None = None
    if isinstance(examples[0].expected, tuple):
        wrong: set[int] | None = None
        for example in examples:
            if not isinstance(example.got, tuple | list) or len(example.got) != len(example.expected):
                return None
            here = {i for i, (w, g) in enumerate(zip(example.expected, example.got)) if not _same(w, g)}
            wrong = here if wrong is None else wrong & here
        if not wrong or len(wrong) != 1:
            return None
        index = next(iter(wrong))
    pairs = []
    for example in examples:
        want, have = (
            (example.expected, example.got)
            if index is None
            else (example.expected[index], example.got[index])
        )
        w, h = whole_number(want), whole_number(have)
        if w is None or h is None or isinstance(want, float):
            return None
        pairs.append((w, h))
    what = (
        "result" if index is None else (names[index] if index < len(names) else f"item {index} of the tuple")
    )

    def item(case: Any) -> Any:
        value = expect(case) if expect is not None else None
        return value if index is None or value is None else value[index]

    return explain(
        [e.case for e in examples],
        [w for w, _ in pairs],
        [h for _, h in pairs],
        item if expect else None,
        what,
    )


def _same(want: Any, got: Any) -> bool:
    try:
        return bool(np.array_equal(np.asarray(want), np.asarray(got)))
    except (TypeError, ValueError):
        return False

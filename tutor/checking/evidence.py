"""Which failing examples a diagnosis rule may look at.

Hypothesis shrinks a failure to the tiniest input that still fails (often a 1×1 image), which is
the best counterexample to show and the worst evidence for a rule about *where* an output is wrong:
a 1×1 output has no border, no interior and one channel. So a structural rule also sees the earliest
failures, before shrinking made them small, and the property's explicit edge cases (distinct N, C,
H, W; rectangular kernels) when the student's code fails them too. None of this changes which
counterexample is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# The most shrunk failures after the shown one, as scale.py and the misconceptions use them.
SHRUNK = 10
# The first failures Hypothesis found, before shrinking: the largest inputs it failed on.
EARLY = 3


def failing(shown: tuple[Any, Any], failures: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """The shown failure first, then the most shrunk others, then the earliest (largest) ones;
    each (case, got) once, and only those with a returned value."""
    others = [(c, g) for c, g in failures if c is not shown[0] and g is not None]
    chosen = [shown] + others[-SHRUNK:]
    seen = {id(c) for c, _ in chosen}
    for case, got in others[:EARLY]:
        if id(case) not in seen:
            chosen.append((case, got))
            seen.add(id(case))
    return chosen


def explicit_failures(
    cases: Iterable[Any], run: Callable[[Any], tuple[Any, bool] | None], limit: int = 6
) -> list[tuple[Any, Any]]:
    """The explicit edge cases the student's code also gets wrong (value returned, but wrong),
    as (case, got). `run(case)` calls the student's function and judges the reply: (got, wrong),
    or None when the call failed in another way (an exception): such a case is no evidence."""
    found = []
    for case in list(cases)[:limit]:
        outcome = run(case)
        if outcome is not None and outcome[1]:
            found.append((case, outcome[0]))
    return found

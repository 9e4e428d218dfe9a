"""Reusing strategy objects (strategies.reused) only saves time: every property draws the very
same examples as with a new strategy object built at each draw, as the builders did before."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, Verbosity, given, settings

from tutor.catalog import course
from tutor.checking import strategies
from tutor.checking.engine import load_check

EXAMPLES = 12


def fingerprint(value: Any, digest: Any) -> None:
    if isinstance(value, np.ndarray):
        digest.update(f"{value.dtype.str}{value.shape}".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, dict):
        for key, item in value.items():
            digest.update(repr(key).encode())
            fingerprint(item, digest)
    elif isinstance(value, list | tuple):
        digest.update(type(value).__name__.encode())
        for item in value:
            fingerprint(item, digest)
    else:
        digest.update(repr(value).encode())


def drawn(prop: Any) -> list[str]:
    """A fingerprint of each example of a derandomized run, in order."""
    seen: list[str] = []

    def body(case: Any) -> None:
        digest = hashlib.sha256()
        for name, value in case.named().items():
            digest.update(name.encode())
            fingerprint(value, digest)
        seen.append(digest.hexdigest())

    test = settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )(given(prop.cases())(body))
    test()
    return seen


def reused_builders() -> dict[str, Any]:
    return {
        name: value
        for name, value in vars(strategies).items()
        if callable(value) and hasattr(value, "cache_clear") and hasattr(value, "__wrapped__")
    }


def test_the_reused_builders_are_found() -> None:
    assert {"integers", "float_arrays", "int_or_pair", "conv_configs"} <= set(reused_builders())


@pytest.mark.parametrize("exercise_id", [e.id for e in course().code_exercises()])
def test_reused_strategies_draw_the_same_examples(exercise_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    check = load_check(course().exercise(exercise_id))
    reused = [drawn(prop) for prop in check.properties]
    for name, builder in reused_builders().items():  # a new strategy object at every call
        monkeypatch.setattr(strategies, name, builder.__wrapped__)
    fresh = [drawn(prop) for prop in check.properties]
    assert reused == fresh
    assert any(reused), "nothing was drawn"

"""conv_output_size: ⌊(n+2p−f)/s⌋+1, checked against the shape F.conv2d really produces."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from tutor.checking import strategies
from tutor.checking.compare import IntegerComparison
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property

NO_FLOOR = "You divided without rounding down: when s does not divide n+2p−f the window cannot take a partial step. Use // (floor division)."
CEIL = "You rounded up. A window only fits where it lies completely inside the padded input, so round down: ⌊(n+2p−f)/s⌋+1."
NO_PLUS_ONE = "You forgot the +1: the first window position counts too (n=3, f=3 gives one output, not zero)."
ONE_SIDED_PADDING = "You added the padding once; it is added on both sides, so it is n + 2p."
NO_STRIDE = "You ignored the stride s: the window moves s pixels per step, so divide by s."
PADDING_AFTER = (
    "You added the padding after dividing by the stride: the window slides over the PADDED input, so the "
    "padding goes inside: ⌊(n + 2p − f) / s⌋ + 1."
)
ORDER = (
    "Your parameters are in a different order: called as conv_output_size(n, f, p, s), your function took the "
    "third number as the stride. Keep the stub's signature: def conv_output_size(n, f, p=0, s=1)."
)
PLUS_ONE_INSIDE = "You put the +1 inside the division: it is ⌊(n+2p−f)/s⌋ + 1, not ⌊(n+2p−f+1)/s⌋."


def _measured(case: Case) -> int:
    """Run a real convolution and read the width of its output."""
    n, f = case["n"], case["f"]
    p, s = case.get("p", 0), case.get("s", 1)
    with torch.no_grad():
        out = F.conv2d(torch.zeros(1, 1, 1, n), torch.zeros(1, 1, 1, f), padding=(0, p), stride=(1, s))
    return int(out.shape[-1])


def _parts(case: Case) -> tuple[int, int, int, int]:
    return case["n"], case["f"], case.get("p", 0), case.get("s", 1)


def _swapped_order(case: Case) -> int | None:
    """What (n, f, s, p) returns when p and s come by position."""
    if [name for name, _ in case.positional] != ["n", "f", "p", "s"] or case["p"] == 0:
        return None
    n, f, p, s = _parts(case)
    return (n + 2 * s - f) // p + 1


def _formula(fn):  # noqa: ANN001, ANN202 - tiny adapter for the misconception table
    return lambda case: fn(*_parts(case))


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches the output width of torch.nn.functional.conv2d",
            function="conv_output_size",
            cases=strategies.output_size_cases,
            expect=_measured,
            comparison=IntegerComparison(),
            max_examples=150,
            misconceptions=(
                Misconception(NO_FLOOR, _formula(lambda n, f, p, s: (n + 2 * p - f) / s + 1)),
                Misconception(CEIL, _formula(lambda n, f, p, s: math.ceil((n + 2 * p - f) / s) + 1)),
                Misconception(NO_PLUS_ONE, _formula(lambda n, f, p, s: (n + 2 * p - f) // s)),
                Misconception(ONE_SIDED_PADDING, _formula(lambda n, f, p, s: (n + p - f) // s + 1)),
                Misconception(NO_STRIDE, _formula(lambda n, f, p, s: n + 2 * p - f + 1)),
                Misconception(PLUS_ONE_INSIDE, _formula(lambda n, f, p, s: (n + 2 * p - f + 1) // s)),
                Misconception(PADDING_AFTER, _formula(lambda n, f, p, s: (n - f) // s + 1 + 2 * p)),
                Misconception(ORDER, _swapped_order),
            ),
            explicit=lambda: [
                Case.of(("n", 5), ("f", 3), p=1, s=2, label="the statement's example"),
                Case.of(("n", 7), ("f", 3), label="defaults p=0, s=1"),
                Case.of(("n", 6), ("f", 3), p=0, s=2, label="stride that does not divide"),
                Case.of(("n", 1), ("f", 3), p=1, s=1, label="padding makes room for the kernel"),
                Case.of(("n", 7), ("f", 3), ("p", 1), ("s", 2), label="p and s by position"),
            ],
        ),
    )
)

"""pooling_output: the output volume of a max-pooling layer, and its parameter count (zero)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from tutor.questions import Mistake, Part, Question

DEFAULT_STRIDE_1 = "You slid the window one pixel at a time. This layer's stride is {s}: use ⌊(n − f)/s⌋ + 1."
NO_PLUS_ONE = "You forgot the +1: the first window position counts too. The size is ⌊(n − f)/s⌋ + 1."
ROUNDED_UP = (
    "You rounded up. PyTorch's pooling keeps only windows that fit entirely (ceil_mode=False): round ⌊down⌋."
)
DIVIDED = "Pooling does not simply divide the size by f: use ⌊(n − f)/s⌋ + 1 (it equals n/f only when s = f and f divides n)."
DEPTH_CHANGES = "Pooling works on each channel separately: the depth stays {c}."
HAS_WEIGHTS = (
    "A pooling layer has no parameters at all: it takes the max (or the mean) of each window, a fixed "
    "rule with nothing to learn. The answer is 0."
)


def _draw(rng: random.Random) -> dict[str, Any]:
    f = rng.choice([2, 2, 3, 3, 4])
    s = rng.choice([f, f, 2, 1, 3])
    n = rng.randint(7, 60)
    m = n if rng.random() < 0.5 else rng.randint(7, 60)
    return {"n": n, "m": m, "c": rng.choice([6, 16, 32, 64, 96, 256]), "f": f, "s": s}


def _measure(q: Mapping[str, Any]) -> dict[str, tuple[int, ...]]:
    from torch import nn

    from tutor.questions import _layers

    pool = nn.MaxPool2d(q["f"], stride=q["s"])
    depth, height, width = _layers.output_shape(pool, q["c"], q["n"], q["m"])
    return {
        "height": (height,),
        "width": (width,),
        "depth": (depth,),
        "parameters": (_layers.parameter_count(pool),),
    }


def _mistakes(q: Mapping[str, Any]) -> list[Mistake]:
    f, s, c = q["f"], q["s"], q["c"]
    found = []
    for part, n in (("height", q["n"]), ("width", q["m"])):
        found += [
            Mistake(part, (n - f + 1,), DEFAULT_STRIDE_1.format(s=s)),
            Mistake(part, ((n - f) // s,), NO_PLUS_ONE),
            Mistake(part, (-((n - f) // -s) + 1,), ROUNDED_UP),
            Mistake(part, (n // f, -(n // -f)), DIVIDED),
        ]
    found.append(Mistake("depth", (1, c * f * f, c // f), DEPTH_CHANGES.format(c=c)))
    found.append(
        Mistake(
            "parameters",
            (f * f, f * f + 1, f * f * c, f * f * c + c, (f * f + 1) * c, f * f * c * c),
            HAS_WEIGHTS,
        )
    )
    return found


QUESTION = Question(
    parts=(
        Part("height", "the output height"),
        Part("width", "the output width"),
        Part("depth", "the output depth"),
        Part("parameters", "the number of learnable parameters of the pooling layer"),
    ),
    # AlexNet's first pooling layer [DDL2023 §8.1]: 55×55×96, 3×3 windows, stride 2.
    textbook={"n": 55, "m": 55, "c": 96, "f": 3, "s": 2},
    draw=_draw,
    measure=_measure,
    mistakes=_mistakes,
)

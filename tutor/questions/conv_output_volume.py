"""conv_output_volume: the output volume of one conv layer (height, width, depth)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from tutor.questions import Mistake, Part, Question

ONE_SIDED = "It looks like you added the padding once. Padding p adds p pixels on EACH side: use n + 2p."
NO_PLUS_ONE = "You forgot the +1: the first window position counts too. The size is ⌊(n + 2p − f)/s⌋ + 1."
NO_STRIDE = "You ignored the stride: the window moves s pixels per step, so divide (n + 2p − f) by s."
ROUNDED_UP = (
    "You rounded up. A window only counts where it fits entirely inside the padded input: round ⌊down⌋."
)
DEPTH_IS_INPUT = "The depth of the output is not the input's depth: each filter makes one output channel, so the depth is the number of filters."
DEPTH_IS_PRODUCT = "Each filter already spans all input channels and gives ONE output channel: the depth is the number of filters, not filters × input channels."
WRONG_AXIS = "That is the size along the other axis: the height uses n (rows), the width uses m (columns)."


def _draw(rng: random.Random) -> dict[str, Any]:
    f = rng.choice([1, 3, 3, 5, 5, 7, 11])
    s = rng.choice([1, 1, 2, 2, 3, 4])
    p = rng.choice([0, 0, 1, 2, (f - 1) // 2])
    n = rng.randint(max(f, 12), 64) * rng.choice([1, 2, 4])
    m = n if rng.random() < 0.5 else rng.randint(max(f, 12), 256)
    return {
        "n": n,
        "m": m,
        "c": rng.choice([1, 3, 3, 16, 32, 64]),
        "f": f,
        "s": s,
        "p": p,
        "k": rng.choice([8, 16, 32, 64, 96, 128]),
    }


def _measure(q: Mapping[str, Any]) -> dict[str, tuple[int, ...]]:
    from tutor.questions import _layers

    depth, height, width = _layers.output_shape(
        _layers.conv(q["c"], q["k"], q["f"], q["s"], q["p"]), q["c"], q["n"], q["m"]
    )
    return {"height": (height,), "width": (width,), "depth": (depth,)}


def _mistakes(q: Mapping[str, Any]) -> list[Mistake]:
    f, s, p = q["f"], q["s"], q["p"]
    found: list[Mistake] = []
    for part, size, other in (("height", q["n"], q["m"]), ("width", q["m"], q["n"])):
        found += [
            Mistake(part, ((size + p - f) // s + 1,), ONE_SIDED),
            Mistake(part, ((size + 2 * p - f) // s,), NO_PLUS_ONE),
            Mistake(part, (size + 2 * p - f + 1,), NO_STRIDE),
            Mistake(part, (-((size + 2 * p - f) // -s) + 1,), ROUNDED_UP),
            Mistake(part, ((other + 2 * p - f) // s + 1,), WRONG_AXIS),
        ]
    found += [
        Mistake("depth", (q["c"],), DEPTH_IS_INPUT),
        Mistake("depth", (q["c"] * q["k"],), DEPTH_IS_PRODUCT),
    ]
    return found


QUESTION = Question(
    parts=(
        Part("height", "the output height (rows)"),
        Part("width", "the output width (columns)"),
        Part("depth", "the output depth (channels)"),
    ),
    # AlexNet's first layer [DDL2023 §8.1]: 227×227×3, 96 filters 11×11, stride 4, no padding.
    textbook={"n": 227, "m": 227, "c": 3, "f": 11, "s": 4, "p": 0, "k": 96},
    draw=_draw,
    measure=_measure,
    mistakes=_mistakes,
)

"""filter_sizes: given consecutive volumes, stride and padding, find each layer's filter size and count."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from tutor.questions import Mistake, Part, Question

LAYERS = ("a", "b", "c")

COUNT_IS_INPUT_DEPTH = "The number of filters is not the input's depth: each filter makes ONE output channel, so count the output's depth."
NO_PADDING = (
    "You left the padding out. Solve ⌊(n + 2p − f)/s⌋ + 1 = n_out for f, with the padding p of this layer."
)
NO_STRIDE = (
    "You ignored the stride. With stride s the window moves s pixels per step: n_out = ⌊(n + 2p − f)/s⌋ + 1."
)
OFF_BY_ONE = (
    "Off by one: solve n_out = ⌊(n + 2p − f)/s⌋ + 1 for f, which gives f = n + 2p − s·(n_out − 1) "
    "(with s = 1 and p = 0 that is f = n − n_out + 1: a 5×5 filter on 32 pixels gives 28). "
    "Check your f in the formula with this layer's own s and p."
)
ONE_SIDED = "Padding p adds p pixels on each side, so the padded input has n + 2p pixels, not n + p."


def _layer(rng: random.Random, size: int) -> dict[str, int]:
    while True:
        f = rng.choice([1, 3, 3, 5, 5, 7])
        s = rng.choice([1, 1, 2])
        # Realistic layers: padding at most (f − 1)/2 ("same"), so a layer never grows the volume
        # (a 1×1 filter is never padded).
        p = rng.choice(sorted({0, min(1, (f - 1) // 2), (f - 1) // 2}))
        if f <= size + 2 * p:
            return {"f": f, "s": s, "p": p, "k": rng.choice([6, 8, 12, 16, 24, 32, 48, 64])}


def _volumes(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The consecutive volumes, from the layers' hidden filter sizes (plain arithmetic, for the statement)."""
    size, depth = spec["size"], spec["depth"]
    values: dict[str, Any] = {"v0": f"{size} × {size} × {depth}"}
    for i, name in enumerate(LAYERS, start=1):
        layer = spec[name]
        size = (size + 2 * layer["p"] - layer["f"]) // layer["s"] + 1
        depth = layer["k"]
        values[f"v{i}"] = f"{size} × {size} × {depth}"
        values[f"s_{name}"], values[f"p_{name}"] = layer["s"], layer["p"]
    return values


def _draw(rng: random.Random) -> dict[str, Any]:
    size = rng.choice([28, 32, 48, 64, 96])
    spec: dict[str, Any] = {"size": size, "depth": rng.choice([1, 3])}
    for name in LAYERS:
        layer = _layer(rng, size)
        spec[name] = layer
        size = (size + 2 * layer["p"] - layer["f"]) // layer["s"] + 1
    return spec


def _measure(spec: Mapping[str, Any]) -> dict[str, tuple[int, ...]]:
    """Every f for which a real Conv2d with this stride and padding turns one volume into the next."""
    from tutor.questions import _layers

    accepted: dict[str, tuple[int, ...]] = {}
    size, depth = spec["size"], spec["depth"]
    for name in LAYERS:
        layer = spec[name]
        made = _layers.output_shape(
            _layers.conv(depth, layer["k"], layer["f"], layer["s"], layer["p"]), depth, size, size
        )
        # Filters are odd-sized (the statement says so): with stride 2 an even neighbour of the
        # right f would fit too, and one answer per layer is wanted.
        accepted[f"{name}_size"] = tuple(
            f
            for f in range(1, size + 2 * layer["p"] + 1, 2)
            if _layers.fits(depth, size, size, f, layer["s"], layer["p"], made)
        )
        accepted[f"{name}_filters"] = (made[0],)
        depth, size = made[0], made[1]
    return accepted


def _mistakes(spec: Mapping[str, Any]) -> list[Mistake]:
    found = []
    size, depth = spec["size"], spec["depth"]
    for name in LAYERS:
        layer = spec[name]
        s, p = layer["s"], layer["p"]
        out = (size + 2 * p - layer["f"]) // s + 1
        found += [
            Mistake(f"{name}_size", (size - s * (out - 1),), NO_PADDING),
            Mistake(f"{name}_size", (size + 2 * p - out + 1,), NO_STRIDE),
            Mistake(
                f"{name}_size",
                (size + 2 * p - s * (out - 1) - 1, size + 2 * p - s * (out - 1) + 1),
                OFF_BY_ONE,
            ),
            Mistake(f"{name}_size", (size + p - s * (out - 1),), ONE_SIDED),
            Mistake(f"{name}_filters", (depth,), COUNT_IS_INPUT_DEPTH),
        ]
        size, depth = out, layer["k"]
    return found


QUESTION = Question(
    parts=tuple(
        part
        for name in LAYERS
        for part in (
            Part(f"{name}_size", f"the filter size f of layer ({name}) (its filters are f × f, with f odd)"),
            Part(f"{name}_filters", f"the number of filters of layer ({name})"),
        )
    ),
    # LeNet-like: 5×5 filters without padding, then a 'same' 3×3 layer, then a strided 3×3 layer.
    textbook={
        "size": 32,
        "depth": 3,
        "a": {"f": 5, "s": 1, "p": 0, "k": 6},
        "b": {"f": 3, "s": 1, "p": 1, "k": 16},
        "c": {"f": 3, "s": 2, "p": 0, "k": 32},
    },
    draw=_draw,
    measure=_measure,
    mistakes=_mistakes,
    derived=_volumes,
)

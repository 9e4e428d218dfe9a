"""max_pool2d: against F.max_pool2d, with implicit −inf padding."""

from __future__ import annotations

import numpy as np

from tutor.checking import strategies
from tutor.checking.spec import ExerciseCheck, Misconception, Property
from tutor.checks import _pooling as pool

ZERO_PADDING = (
    "You padded with zeros instead of −inf. Where every value in a window is negative, a padded 0 wins the "
    "max. Pad with -np.inf (np.pad(..., constant_values=-np.inf)): padding must never win."
)
PADDING_IGNORED = (
    "You ignored the padding: pad H and W by `padding` on both sides (with −inf) before sliding the window."
)
ONLY_PADDING = (
    "Your output holds −inf: one of your windows covered only padding. Padding p goes on both sides, "
    "p before and p after (np.pad(..., ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf)), "
    "so every window keeps at least one real pixel."
)
AVERAGE = "You averaged each window; max pooling keeps its largest value."
OVER_CHANNELS = (
    "You took the max across the channels too: pooling works on each (image, channel) plane separately."
)

_TORCH = pool.torch_pool("max")
# By hand, so that a prediction exists even where the mistake makes torch refuse (an empty output).
_BY_HAND = pool.window_pool(lambda w: w.max(axis=(2, 3)), -np.inf)


def _over_channels(case):  # noqa: ANN001, ANN202
    out = _TORCH(**pool.arguments(case))
    return np.broadcast_to(out.max(axis=1, keepdims=True), out.shape).copy()


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches torch.nn.functional.max_pool2d",
            function="max_pool2d",
            cases=strategies.pool2d_cases,
            expect=pool.variant(_TORCH),
            misconceptions=(
                Misconception(
                    ZERO_PADDING, pool.variant(pool.window_pool(lambda w: w.max(axis=(2, 3)), 0.0))
                ),
                *pool.argument_misconceptions(_BY_HAND, PADDING_IGNORED),
                Misconception(AVERAGE, pool.variant(pool.torch_pool("avg"))),
                pool.whole_window(np.max, -np.inf),
                Misconception(OVER_CHANNELS, _over_channels),
            ),
            explicit=pool.explicit,
            explain_shape=pool.explain_shape,
            geometry=pool.geometry,
            not_finite=ONLY_PADDING,
            max_examples=80,
        ),
    )
)

"""avg_pool2d: against F.avg_pool2d with PyTorch's default count_include_pad=True."""

from __future__ import annotations

import numpy as np

from tutor.checking import strategies
from tutor.checking.spec import ExerciseCheck, Misconception, Property
from tutor.checks import _pooling as pool
from tutor.checks import _reference as ref

EXCLUDES_PAD = (
    "Your average excludes the padded zeros. PyTorch's default (count_include_pad=True) counts them: "
    "divide every window's sum by kh·kw, even at the border."
)
PADDING_IGNORED = (
    "You ignored the padding: pad H and W with `padding` zeros on both sides before sliding the window."
)
SUM = "You returned each window's sum: divide it by the window's size kh·kw to get the average."
FLOOR_DIVISION = (
    "Your averages are rounded down to whole numbers: `//` is floor division. Divide with `/` "
    "(keep `//` for sizes and indices)."
)
MAX = "You took each window's max; average pooling returns the mean of the window."

_TORCH = pool.torch_pool("avg")
# By hand, so that a prediction exists even where the mistake makes torch refuse (an empty output).
_BY_HAND = pool.window_pool(lambda w: w.mean(axis=(2, 3)), 0.0)


def _sum(case):  # noqa: ANN001, ANN202
    kh, kw = ref.pair(case["kernel_size"])
    return _TORCH(**pool.arguments(case)) * (kh * kw)


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches torch.nn.functional.avg_pool2d",
            function="avg_pool2d",
            cases=strategies.pool2d_cases,
            expect=pool.variant(_TORCH),
            misconceptions=(
                Misconception(EXCLUDES_PAD, pool.variant(pool.torch_pool("avg", count_include_pad=False))),
                *pool.argument_misconceptions(_BY_HAND, PADDING_IGNORED),
                Misconception(SUM, _sum),
                Misconception(MAX, pool.variant(pool.torch_pool("max"))),
                Misconception(FLOOR_DIVISION, lambda case: np.floor(_TORCH(**pool.arguments(case)))),
                pool.whole_window(np.mean, 0.0),
            ),
            explicit=pool.explicit,
            explain_shape=pool.explain_shape,
            geometry=pool.geometry,
            max_examples=80,
        ),
    )
)

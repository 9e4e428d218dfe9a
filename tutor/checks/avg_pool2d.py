"""avg_pool2d: against F.avg_pool2d with PyTorch's default count_include_pad=True."""

from __future__ import annotations

from tutor.checking import strategies
from tutor.checking.spec import ExerciseCheck, Misconception, Property
from tutor.checks import _pooling as pool
from tutor.checks import _reference as ref

EXCLUDES_PAD = (
    "Your average excludes the padded zeros. PyTorch's default (count_include_pad=True) counts them: "
    "divide every window's sum by kh·kw, even at the border."
)
STRIDE_ONE = "Your stride defaulted to 1. When stride is None it equals the kernel size (PyTorch's default): windows do not overlap."
PADDING_IGNORED = (
    "You ignored the padding: pad H and W with `padding` zeros on both sides before sliding the window."
)
KERNEL_SWAPPED = (
    "You swapped the kernel pair: kernel_size=(kh, kw) means kh rows (height) and kw columns (width)."
)
STRIDE_SWAPPED = "You swapped the stride pair: stride=(sh, sw) moves sh down the rows and sw along a row."
SUM = "You returned each window's sum: divide it by the window's size kh·kw to get the average."
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
                Misconception(
                    STRIDE_ONE,
                    pool.variant(_BY_HAND, stride=lambda a: a["stride"] if a["stride"] is not None else 1),
                ),
                Misconception(PADDING_IGNORED, pool.variant(_BY_HAND, padding=0)),
                Misconception(
                    KERNEL_SWAPPED,
                    pool.variant(
                        _BY_HAND,
                        stride=lambda a: a["stride"] if a["stride"] is not None else a["kernel_size"],
                        kernel_size=lambda a: pool.swap(a["kernel_size"]),
                    ),
                ),
                Misconception(
                    STRIDE_SWAPPED,
                    pool.variant(
                        _BY_HAND,
                        stride=lambda a: pool.swap(a["kernel_size"] if a["stride"] is None else a["stride"]),
                    ),
                ),
                Misconception(SUM, _sum),
                Misconception(MAX, pool.variant(pool.torch_pool("max"))),
            ),
            explicit=pool.explicit,
            explain_shape=pool.explain_shape,
            max_examples=80,
        ),
    )
)

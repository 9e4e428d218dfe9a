"""depthwise_separable_cost: multiplications, measured with FlopCounterMode on real torch layers."""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from tutor.checking import strategies
from tutor.checking.compare import IntegerComparison
from tutor.checking.spec import Case, ExerciseCheck, Misconception, Property

NO_POINTWISE = (
    "Your separable count leaves out the pointwise part: after the depthwise k×k convolution, a 1×1 "
    "convolution mixes the c_in channels into c_out, costing h_out·w_out·c_in·c_out more multiplications."
)
FLOPS = (
    "You counted FLOPs (2 per multiply-add: a multiplication and an addition), twice the number of "
    "multiplications asked for. Count one per multiply-add."
)
DEPTHWISE_TIMES_COUT = (
    "Your depthwise part has a factor c_out: a depthwise convolution has one k×k filter per INPUT channel "
    "and produces c_in channels, so it costs h_out·w_out·c_in·k²."
)
DEPTHWISE_COUT = (
    "Your depthwise part uses c_out where it needs c_in: the depthwise k×k convolution runs one filter per "
    "INPUT channel, so it costs h_out·w_out·c_in·k²; only the 1×1 pointwise part produces c_out channels."
)
STANDARD_NO_CIN = (
    "Your standard count forgets c_in: each output value sums over all c_in input channels, c_in·k² products."
)
ONE_K = "You used k instead of k²: a k×k kernel has k·k weights per channel."
SWAPPED = "You returned the two counts in the wrong order: (standard, separable)."
BIASES_COUNTED = (
    "You counted the biases too (one addition per output value). Biases are ignored here: count only the "
    "products, c_in·k² per output value of the standard layer."
)
POINTWISE_ONLY = (
    "Your separable count is only the pointwise part: add the depthwise k×k convolution, h_out·w_out·c_in·k²."
)


def _multiplications(layers: list[nn.Module], c_in: int, h_out: int, w_out: int, k: int) -> int:
    """Half the FLOPs FlopCounterMode counts for the layers applied in turn (on the meta device)."""
    with torch.device("meta"):
        x = torch.empty(1, c_in, h_out + k - 1, w_out + k - 1)
        with FlopCounterMode(display=False) as counter:
            for layer in layers:
                x = layer(x)
    return counter.get_total_flops() // 2


def _measured(case: Case) -> tuple[int, int]:
    h, w, c_in, c_out, k = (case[n] for n in ("h_out", "w_out", "c_in", "c_out", "k"))
    with torch.device("meta"):
        standard = [nn.Conv2d(c_in, c_out, k, bias=False)]
        separable = [nn.Conv2d(c_in, c_in, k, groups=c_in, bias=False), nn.Conv2d(c_in, c_out, 1, bias=False)]
    return _multiplications(standard, c_in, h, w, k), _multiplications(separable, c_in, h, w, k)


def _formula(standard, separable):  # noqa: ANN001, ANN202 - tiny adapter for the misconception table
    def predict(case: Case) -> tuple[int, int]:
        args = tuple(case[n] for n in ("h_out", "w_out", "c_in", "c_out", "k"))
        return standard(*args), separable(*args)

    return predict


def _std(h, w, ci, co, k):  # noqa: ANN001, ANN202
    return h * w * co * ci * k * k


def _sep(h, w, ci, co, k):  # noqa: ANN001, ANN202
    return h * w * ci * k * k + h * w * ci * co


CHECK = ExerciseCheck(
    properties=(
        Property(
            name="matches FlopCounterMode on real torch layers (FLOPs / 2)",
            function="depthwise_separable_cost",
            cases=strategies.separable_cost_cases,
            expect=_measured,
            comparison=IntegerComparison(item_names=("standard cost", "separable cost")),
            misconceptions=(
                Misconception(NO_POINTWISE, _formula(_std, lambda h, w, ci, co, k: h * w * ci * k * k)),
                Misconception(POINTWISE_ONLY, _formula(_std, lambda h, w, ci, co, k: h * w * ci * co)),
                Misconception(FLOPS, _formula(lambda *a: 2 * _std(*a), lambda *a: 2 * _sep(*a))),
                Misconception(
                    DEPTHWISE_TIMES_COUT,
                    _formula(_std, lambda h, w, ci, co, k: h * w * ci * co * k * k + h * w * ci * co),
                ),
                Misconception(
                    DEPTHWISE_COUT,
                    _formula(_std, lambda h, w, ci, co, k: h * w * co * k * k + h * w * ci * co),
                ),
                Misconception(STANDARD_NO_CIN, _formula(lambda h, w, ci, co, k: h * w * co * k * k, _sep)),
                Misconception(
                    ONE_K,
                    _formula(
                        lambda h, w, ci, co, k: h * w * co * ci * k,
                        lambda h, w, ci, co, k: h * w * ci * k + h * w * ci * co,
                    ),
                ),
                Misconception(SWAPPED, _formula(_sep, _std)),
                Misconception(
                    BIASES_COUNTED,
                    _formula(
                        lambda h, w, ci, co, k: _std(h, w, ci, co, k) + h * w * co,
                        lambda h, w, ci, co, k: _sep(h, w, ci, co, k) + h * w * (ci + co),
                    ),
                ),
            ),
            explicit=lambda: [
                Case.of(
                    ("h_out", 10),
                    ("w_out", 10),
                    ("c_in", 3),
                    ("c_out", 5),
                    ("k", 3),
                    label="the statement's example",
                ),
                Case.of(
                    ("h_out", 7), ("w_out", 5), ("c_in", 2), ("c_out", 6), ("k", 1), label="a 1×1 kernel"
                ),
                Case.of(
                    ("h_out", 4), ("w_out", 6), ("c_in", 1), ("c_out", 3), ("k", 5), label="one input channel"
                ),
            ],
            max_examples=80,
        ),
    )
)

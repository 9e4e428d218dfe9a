"""Measurements on whole reference models (tutor/models), shared by the session-2 questions.

Imported only when an answer is checked (it imports torch). Every model is built on the ``meta``
device: real parameter shapes and output shapes, no memory, no arithmetic. The counts that the
wrong-answer hints need (biases, BatchNorm's γ and β, projection shortcuts) are read from the
model's modules too, so a hint's number is always the true count with one thing left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import torch
from torch import nn

from tutor import models
from tutor.questions import Mistake

TEXTBOOK_NUMBER = (
    "That is the textbook's number, but your variant is not the textbook network: its sizes are in "
    "`tutor show {question}`. Redo the count with your own numbers."
)


def on_meta(build: Callable[[], nn.Module]) -> nn.Module:
    with torch.device("meta"):
        return build()


def count(modules: list[nn.Module]) -> int:
    return sum(models.count_parameters(m) for m in modules)


def of_type(model: nn.Module, kind: type | tuple[type, ...]) -> list[nn.Module]:
    return [m for m in model.modules() if isinstance(m, kind)]


def biases(model: nn.Module) -> int:
    """The biases of the convolutions and fully connected layers (not BatchNorm's β)."""
    return sum(m.bias.numel() for m in of_type(model, (nn.Conv2d, nn.Linear)) if m.bias is not None)


def stage_outputs(model: nn.Sequential, input_shape: tuple[int, ...]) -> list[tuple[type, tuple[int, ...]]]:
    """(layer type, output shape without the batch axis) after every child of a Sequential."""
    children = list(model.children())
    shapes = models.stage_shapes(model, input_shape)
    return [(type(layer), shape[1:]) for layer, (_, shape) in zip(children, shapes)]


def textbook_mistakes(
    question: str,
    measure: Callable[[Mapping[str, Any]], dict[str, tuple[int, ...]]],
    textbook: Mapping[str, Any],
    params: Mapping[str, Any],
) -> list[Mistake]:
    """A student with their own variant who answers the published number gets told so."""
    if dict(params) == dict(textbook):
        return []
    published, truth = measure(textbook), measure(params)
    return [
        Mistake(
            part, tuple(v for v in values if v not in truth[part]), TEXTBOOK_NUMBER.format(question=question)
        )
        for part, values in published.items()
        if set(values) - set(truth[part])
    ]


def only_wrong(mistakes: list[Mistake], truth: Mapping[str, tuple[int, ...]]) -> list[Mistake]:
    """Drop the values a mistake shares with the true answer (e.g. rounding up an even side changes nothing)."""
    kept = []
    for mistake in mistakes:
        values = tuple(v for v in mistake.values if v not in truth[mistake.part])
        if values:
            kept.append(Mistake(mistake.part, values, mistake.hint))
    return kept


def finish(
    question: str,
    measure: Callable[[Mapping[str, Any]], dict[str, tuple[int, ...]]],
    textbook: Mapping[str, Any],
    params: Mapping[str, Any],
    found: list[Mistake],
) -> list[Mistake]:
    """A question's mistakes, plus "the textbook's number" for a variant, minus values that are right."""
    return only_wrong(found + textbook_mistakes(question, measure, textbook, params), measure(params))


def split_measure(model: nn.Module) -> dict[str, tuple[int, ...]]:
    """Parameters in the convolutional part, the fully connected part, and in total."""
    conv, fc = models.split_conv_fc(model)
    return {"conv": (conv,), "fc": (fc,), "total": (conv + fc,)}


def split_mistakes(
    model: nn.Module, no_bias: str, swapped: str, only_conv: str, only_fc: str
) -> list[Mistake]:
    """The slips every conv-vs-FC split question shares: biases left out, parts swapped, a part for the total.

    `no_bias` is formatted with the number of biases left out; the other texts are shown as they are.
    """
    conv, fc = models.split_conv_fc(model)
    conv_biases = sum(m.out_channels for m in of_type(model, nn.Conv2d))
    fc_biases = sum(m.out_features for m in of_type(model, nn.Linear))
    return [
        Mistake("conv", (conv - conv_biases,), no_bias.format(biases=conv_biases)),
        Mistake("fc", (fc - fc_biases,), no_bias.format(biases=fc_biases)),
        Mistake(
            "total", (conv + fc - conv_biases - fc_biases,), no_bias.format(biases=conv_biases + fc_biases)
        ),
        Mistake("conv", (fc,), swapped),
        Mistake("fc", (conv,), swapped),
        Mistake("total", (conv,), only_conv),
        Mistake("total", (fc,), only_fc),
    ]

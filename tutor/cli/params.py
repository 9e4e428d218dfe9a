"""Shared click parameter types."""

from __future__ import annotations

import click


class ExerciseIdType(click.ParamType):
    """An exercise id, completed from the catalog by the shell (see README: shell completion)."""

    name = "exercise"

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str):  # noqa: ANN201
        from click.shell_completion import CompletionItem

        from tutor.catalog import course

        return [CompletionItem(e.id, help=e.title) for e in course().exercises if e.id.startswith(incomplete)]


EXERCISE_ID = ExerciseIdType()

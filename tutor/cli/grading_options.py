"""Options that `tutor grade` and `tutor grade-class` share: the instructor's grading.toml and the
git ref to grade. One definition, so the two commands cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def _ref(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and (not value or value.startswith("-") or not value.isprintable() or " " in value):
        raise click.BadParameter(f"{value!r} is not a tag or branch name")
    return value


def instructor_options(command: F) -> F:
    """--config FILE, --assignment NAME and --ref REF."""
    for option in reversed(
        (
            click.option(
                "--config",
                "config_path",
                type=click.Path(dir_okay=False, exists=True, path_type=Path),
                metavar="FILE",
                help="The instructor's grading.toml: [assignments.NAME] and [points] over the catalog's.",
            ),
            click.option(
                "--assignment",
                metavar="NAME",
                help="Grade only assignment NAME of --config, with its points; the report names it.",
            ),
            click.option(
                "--ref",
                metavar="REF",
                callback=_ref,
                help="Grade the commit of tag or branch REF of the workspace's git repository (read "
                "from git's objects into a private copy), not the files on disk. The checkout is not touched.",
            ),
        )
    ):
        command = option(command)
    return command

"""The `tutor` command line. Each command is a small module that parses, calls the core and renders.

Importing this package must stay cheap: no torch, no hypothesis (tests/test_fast_commands.py).
"""

from __future__ import annotations

import importlib

import click

from tutor import __version__
from tutor.cli.app import Application
from tutor.errors import TutorError

# command name -> module under tutor.cli defining `command`
COMMANDS = {
    "init": "init_cmd",
    "list": "list_cmd",
    "next": "next_cmd",
    "show": "show_cmd",
    "hint": "hint_cmd",
    "reset": "reset_cmd",
    "solution": "solution_cmd",
    "check": "check_cmd",
    "answer": "answer_cmd",
    "watch": "watch_cmd",
    "doctor": "doctor_cmd",
    "grade": "grade_cmd",
    "grade-class": "grade_class_cmd",
    "gradescope-bundle": "gradescope_bundle_cmd",
}

INTERNAL_ERROR_HINT = (
    "This is a bug in cnn-tutor, not in your code. Run the command again with --debug "
    "(or TUTOR_DEBUG=1) to see the full traceback, and send it to your instructor."
)


class TutorGroup(click.Group):
    """Loads command modules, and turns core errors into messages and exit codes."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        return importlib.import_module(f"tutor.cli.{module}").command

    def invoke(self, ctx: click.Context):  # noqa: ANN201 - click's signature
        try:
            return super().invoke(ctx)
        except TutorError as error:
            app = ctx.find_object(Application) or Application()
            app.fail(error)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
            app = ctx.find_object(Application) or Application()
            if app.debug:
                raise
            app.abort(f"internal error: {type(error).__name__}: {error}", INTERNAL_ERROR_HINT, code=3)


@click.group(
    cls=TutorGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option("--debug", is_flag=True, help="Show full tracebacks for internal errors.")
@click.version_option(__version__, prog_name="cnn-tutor")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """cnn-tutor: learn convolutional networks by writing them, checked against PyTorch.

    Start with `tutor init DIR`, then `tutor next`.
    """
    ctx.obj = Application(debug=debug)
    if ctx.invoked_subcommand is None:
        from tutor.cli.home import show_home

        show_home(ctx.obj)


def main() -> None:
    cli(prog_name="tutor")

from __future__ import annotations

from pathlib import Path

import click

from tutor.cli.app import Application, pass_app


@click.command("gradescope-bundle")
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default="gradescope-autograder"
)
@click.option(
    "--package",
    metavar="SPEC",
    help="pip requirement for the tutor (default: cnn-tutor==THIS VERSION), e.g. a git URL.",
)
@pass_app
def command(app: Application, directory: Path, package: str | None) -> None:
    """Write a Gradescope autograder (setup.sh, run_autograder, autograder.zip) into DIRECTORY."""
    from tutor.grading.templates import write_gradescope_bundle

    written = write_gradescope_bundle(directory, package)
    app.success(f"Wrote {', '.join(str(p) for p in written)}.")
    app.print(
        f"Upload {directory / 'autograder.zip'} as the assignment's autograder (Configure Autograder → Zip file upload)."
    )

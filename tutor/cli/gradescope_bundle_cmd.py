from __future__ import annotations

from pathlib import Path

import click

from tutor.cli.app import Application, pass_app


@click.command("gradescope-bundle")
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default="gradescope-autograder"
)
@click.option(
    "--wheel",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    metavar="PATH",
    help="The cnn-tutor wheel to put in the bundle (this very version). Default: build it from "
    "this tutor's source tree with hatchling.",
)
@pass_app
def command(app: Application, directory: Path, wheel: Path | None) -> None:
    """Write a Gradescope autograder (setup.sh, run_autograder, the tutor's wheel, autograder.zip) into DIRECTORY."""
    from tutor.grading.templates import write_gradescope_bundle

    written = write_gradescope_bundle(directory, wheel)
    app.success(f"Wrote {', '.join(str(p) for p in written)}.")
    app.print(
        f"Upload {directory / 'autograder.zip'} as the assignment's autograder (Configure Autograder → Zip file upload)."
    )

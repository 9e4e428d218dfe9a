"""The files that run `tutor grade` elsewhere: a GitHub Classroom workflow and a Gradescope bundle.

Templates live in tutor/course/templates/ with @NAME@ placeholders (GitHub's ${{ }} and the
shell's $VAR stay untouched). They pin this very version of the tutor and of torch.
"""

from __future__ import annotations

import io
import zipfile
from importlib import metadata, resources
from pathlib import Path

from tutor import __version__

WORKFLOW_PATH = ".github/workflows/classroom.yml"
GRADESCOPE_FILES = ("setup.sh", "run_autograder")


def _template(name: str) -> str:
    return (resources.files("tutor") / "course" / "templates" / name).read_text(encoding="utf-8")


def torch_version() -> str:
    """The torch this tutor runs with, without a local build tag (2.13.0+cpu -> 2.13.0)."""
    try:
        return metadata.version("torch").split("+")[0]
    except metadata.PackageNotFoundError:
        return "2.13.0"


def _fill(text: str, package: str | None = None) -> str:
    values = {
        "TUTOR_VERSION": __version__,
        "TORCH_VERSION": torch_version(),
        "TUTOR_PACKAGE": package or f"cnn-tutor=={__version__}",
    }
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    return text


def classroom_workflow() -> str:
    return _fill(_template("classroom.yml"))


def gradescope_files(package: str | None = None) -> dict[str, str]:
    """setup.sh and run_autograder, ready to zip (the file name -> its text)."""
    return {name: _fill(_template(f"gradescope/{name}"), package) for name in GRADESCOPE_FILES}


def write_gradescope_bundle(directory: Path, package: str | None = None) -> list[Path]:
    """Write setup.sh, run_autograder and autograder.zip (both at the zip's root) into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    files = gradescope_files(package)
    written = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        path.chmod(0o755)
        written.append(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o100755 << 16  # executable, as Gradescope runs them
            archive.writestr(info, text)
    zip_path = directory / "autograder.zip"
    zip_path.write_bytes(buffer.getvalue())
    written.append(zip_path)
    return written

"""The files that run `tutor grade` elsewhere: a GitHub Actions workflow, a GitLab CI job and a
Gradescope bundle.

Templates live in tutor/course/templates/ with @NAME@ placeholders (GitHub's ${{ }} and the
shell's $VAR stay untouched). They pin this version of torch, and install the tutor only from a
source the instructor names (`tutor init --tutor-source SPEC`, recorded in tutor.toml): a git URL
at a commit, a wheel's URL, or a wheel committed to the template. Never a bare name on a package
index: "cnn-tutor" there is not ours. The Gradescope bundle carries the wheel of the very tutor
that built it.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from importlib import metadata, resources
from pathlib import Path

from tutor import __version__
from tutor.errors import UsageError

WORKFLOW_PATH = ".github/workflows/grade.yml"
GITLAB_PATH = ".gitlab-ci.yml"
GITLAB_JUNIT = "grade-report.xml"
"""Where the GitLab job writes `tutor grade --format junit` (its artifacts:reports:junit)."""
GRADESCOPE_FILES = ("setup.sh", "run_autograder", "build_replay")

NO_SOURCE = (
    "No cnn-tutor source is set for this workspace, so CI cannot install the tutor. The course "
    "staff set one with `tutor init DIR --tutor-source SPEC` (a git URL at a commit, or a wheel "
    'committed to the template), or add `tutor_source = "SPEC"` under [grading] in tutor.toml '
    "and set TUTOR_SOURCE in this file to the same value."
)
"""What the generated CI files say, and fail with, when they were written without a source."""

BAD_SOURCE = "{spec!r} is not a source cnn-tutor can be installed from safely: {why}."
BAD_SOURCE_HINT = (
    "Give a git URL at a commit (git+https://github.com/YOUR-ORG/cnn-tutor@COMMIT), a wheel's "
    "https:// URL, or the path of a wheel committed to the template (wheels/cnn_tutor-{version}-py3-none-any.whl)."
)
_DIRECT = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9._-]* @ )?(?:git\+https://|https://)\S+$")
_WHEEL_PATH = re.compile(r"^[A-Za-z0-9._/-]+\.whl$")
_UNSAFE_CHARS = re.compile(r"[\s\"'`$\\{}<>|;&]")

NOT_A_SOURCE_TREE = (
    "This cnn-tutor ({location}) is not a source tree, so `tutor gradescope-bundle` cannot build "
    "the wheel to put in the bundle."
)
NOT_A_SOURCE_TREE_HINT = (
    "Run it from a checkout of cnn-tutor (pip install -e .), or pass --wheel PATH with the wheel "
    "of this very version ({version})."
)
WRONG_WHEEL = "{wheel} is not a wheel of cnn-tutor {version} (the version that writes the bundle)."


def _template(name: str) -> str:
    return (resources.files("tutor") / "course" / "templates" / name).read_text(encoding="utf-8")


def torch_version() -> str:
    """The torch this tutor runs with, without a local build tag (2.13.0+cpu -> 2.13.0)."""
    try:
        return metadata.version("torch").split("+")[0]
    except metadata.PackageNotFoundError:
        return "2.13.0"


def check_tutor_source(spec: str) -> str:
    """`spec` if pip can install cnn-tutor from it without asking a package index for the name,
    and it can sit in YAML and shell unquoted-safe; raises UsageError otherwise."""
    hint = BAD_SOURCE_HINT.format(version=__version__)
    if not spec or _UNSAFE_CHARS.search(spec.replace(" @ ", "@", 1)):
        why = "it is empty" if not spec else "it holds spaces, quotes or shell characters"
        raise UsageError(BAD_SOURCE.format(spec=spec, why=why), hint)
    if spec.startswith("http://") or "@ http://" in spec:
        raise UsageError(BAD_SOURCE.format(spec=spec, why="plain http can be changed on the way"), hint)
    if _DIRECT.match(spec):
        return spec
    if _WHEEL_PATH.match(spec) and not spec.startswith("/") and ".." not in spec.split("/"):
        return spec
    why = (
        "a wheel in the template must be named by a path inside it"
        if spec.endswith(".whl")
        else "pip would look that name up on a package index, where nobody guarantees it is this tutor"
    )
    raise UsageError(BAD_SOURCE.format(spec=spec, why=why), hint)


def _fill(text: str, source: str | None = None) -> str:
    values = {
        "TUTOR_VERSION": __version__,
        "TORCH_VERSION": torch_version(),
        # A JSON string is a valid YAML double-quoted scalar; "" when there is no source.
        "TUTOR_SOURCE_YAML": json.dumps(source or ""),
        "NO_SOURCE_YAML": json.dumps(NO_SOURCE),
    }
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    return text


def github_workflow(source: str | None) -> str:
    """The workflow `tutor init` writes; `source` is the workspace's tutor_source (None: unset)."""
    return _fill(_template("github-grade.yml"), source)


def gitlab_ci(source: str | None) -> str:
    """The .gitlab-ci.yml `tutor init --gitlab` writes."""
    return _fill(_template("gitlab-ci.yml"), source)


def gradescope_files(wheel_name: str = f"cnn_tutor-{__version__}-py3-none-any.whl") -> dict[str, str]:
    """setup.sh and run_autograder, ready to zip (the file name -> its text). `wheel_name`: the
    wheel that travels beside them in the zip, which setup.sh installs."""
    files = {}
    for name in GRADESCOPE_FILES:
        files[name] = _fill(_template(f"gradescope/{name}")).replace("@TUTOR_WHEEL@", wheel_name)
    return files


def source_tree() -> Path | None:
    """The cnn-tutor checkout this tutor runs from (an editable install), or None."""
    root = Path(__file__).resolve().parent.parent.parent
    pyproject = root / "pyproject.toml"
    try:
        if 'name = "cnn-tutor"' in pyproject.read_text(encoding="utf-8"):
            return root
    except OSError:
        pass
    return None


def build_wheel(destination: Path) -> Path:
    """Build this tutor's wheel with hatchling (in a subprocess) into `destination`."""
    root = source_tree()
    if root is None:
        raise UsageError(
            NOT_A_SOURCE_TREE.format(location=Path(__file__).resolve().parent.parent),
            NOT_A_SOURCE_TREE_HINT.format(version=__version__),
        )
    destination.mkdir(parents=True, exist_ok=True)
    code = "import sys; from hatchling.build import build_wheel; print(build_wheel(sys.argv[1]))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(destination)],
        cwd=root,
        capture_output=True,
        text=True,
        env=os.environ | {"SOURCE_DATE_EPOCH": "1577836800"},  # 2020-01-01 in the wheel's zip entries
    )
    if done.returncode != 0:
        raise UsageError(f"Building the cnn-tutor wheel failed: {done.stderr.strip()[-600:]}")
    return destination / done.stdout.strip().splitlines()[-1]


def _solution_files() -> list[Path]:
    """The reference solutions of this tutor's course (none where there are none, e.g. a wheel)."""
    from tutor.grading.fairness import default_references

    folder = default_references()
    return sorted(folder.glob("*.py")) if folder is not None else []


def _check_wheel(wheel: Path) -> None:
    expected = f"cnn_tutor-{__version__}-"
    if not (wheel.is_file() and wheel.name.startswith(expected) and wheel.name.endswith(".whl")):
        raise UsageError(WRONG_WHEEL.format(wheel=wheel, version=__version__))


def write_gradescope_bundle(directory: Path, wheel: Path | None = None) -> list[Path]:
    """Write setup.sh, run_autograder, build_replay, the tutor's wheel, the reference solutions
    (solutions/, for build_replay) and autograder.zip holding them all into `directory`. `wheel`: a
    wheel of this version; None builds one from the source tree."""
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        if wheel is None:
            wheel = build_wheel(Path(scratch))
        _check_wheel(wheel)
        wheel_bytes = wheel.read_bytes()
        wheel_name = wheel.name
    files = gradescope_files(wheel_name)
    written = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        path.chmod(0o755)
        written.append(path)
    (directory / wheel_name).write_bytes(wheel_bytes)
    written.append(directory / wheel_name)
    # The reference solutions, for build_replay (deleted from the image once it has run).
    solutions = {f"solutions/{path.name}": path.read_bytes() for path in _solution_files()}
    for name, data in solutions.items():
        (directory / name).parent.mkdir(exist_ok=True)
        (directory / name).write_bytes(data)
    if solutions:
        written.append(directory / "solutions")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, mode in [
            *((name, text.encode("utf-8"), 0o755) for name, text in files.items()),
            (wheel_name, wheel_bytes, 0o644),
            *((name, data, 0o644) for name, data in solutions.items()),
        ]:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16  # the scripts executable, as Gradescope runs them
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    zip_path = directory / "autograder.zip"
    zip_path.write_bytes(buffer.getvalue())
    written.append(zip_path)
    return written

#!/usr/bin/env bash
# Gradescope autograder setup for cnn-tutor @TUTOR_VERSION@, written by `tutor gradescope-bundle`.
# Runs once, when Gradescope builds the autograder image, from /autograder/source (the unzipped
# autograder.zip), as root.
#
# cnn-tutor is installed from the wheel that travels in the same zip (@TUTOR_WHEEL@), built by the
# tutor that wrote this bundle: never by name from a package index.
set -euo pipefail
cd "$(dirname "$0")"

apt-get update
# bubblewrap: the sandbox every submission's code runs in (`tutor grade` refuses to grade without it).
apt-get install -y --no-install-recommends bubblewrap ca-certificates

# cnn-tutor needs Python 3.11 or newer (tomllib, enum.StrEnum, datetime.UTC). Gradescope's default
# image is Ubuntu 22.04, whose python3 is 3.10: there Ubuntu's own python3.11 package is installed
# (from jammy-updates, universe). Newer images (Ubuntu 24.04: 3.12) use their python3 as it is.
PYTHON=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" > /dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    PYTHON=$candidate
    break
  fi
done
if [ -z "$PYTHON" ]; then
  apt-get install -y --no-install-recommends python3.11 python3.11-venv
  PYTHON=python3.11
fi
# `-m venv` needs the matching -venv package on Debian and Ubuntu (ensurepip).
if ! "$PYTHON" -m venv /autograder/venv; then
  if [ "$PYTHON" = python3 ]; then venv_package=python3-venv; else venv_package=$PYTHON-venv; fi
  apt-get install -y --no-install-recommends "$venv_package"
  rm -rf /autograder/venv
  "$PYTHON" -m venv /autograder/venv
fi
/autograder/venv/bin/python --version

/autograder/venv/bin/python -m pip install --upgrade pip
# The CPU build of torch: the default one pulls several GB of CUDA libraries.
/autograder/venv/bin/python -m pip install "torch==@TORCH_VERSION@" --index-url https://download.pytorch.org/whl/cpu
/autograder/venv/bin/python -m pip install "./@TUTOR_WHEEL@"
# Say now, in the build log, whether the sandbox works in this container (if not, every result
# will say so: see NO_SANDBOX in run_autograder).
/autograder/venv/bin/python -c 'from tutor.checking.isolation import support; s = support(); print("cnn-tutor sandbox:", "works" if s.available else "NOT AVAILABLE", "-", s.detail)' || true
# Grade the reference solutions once, now, so that every submission replays their examples instead
# of searching again (build_replay; it deletes the solutions afterwards).
./build_replay

#!/usr/bin/env bash
# Gradescope autograder setup for cnn-tutor @TUTOR_VERSION@, written by `tutor gradescope-bundle`.
# Runs once, when Gradescope builds the autograder image.
set -euo pipefail

apt-get update
# bubblewrap: the sandbox every submission's code runs in (`tutor grade` refuses to grade without it).
apt-get install -y --no-install-recommends python3 python3-venv python3-pip bubblewrap

python3 -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --upgrade pip
# The CPU build of torch: the default one pulls several GB of CUDA libraries.
/autograder/venv/bin/python -m pip install "torch==@TORCH_VERSION@" --index-url https://download.pytorch.org/whl/cpu
# Change this line if cnn-tutor does not come from PyPI at your school, e.g.
#   "cnn-tutor @ git+https://github.com/YOUR-ORG/cnn-tutor@v@TUTOR_VERSION@"
/autograder/venv/bin/python -m pip install "@TUTOR_PACKAGE@"
# Say now, in the build log, whether the sandbox works in this container (if not, every result
# will say so: see NO_SANDBOX in run_autograder).
/autograder/venv/bin/python -c 'from tutor.checking.isolation import support; s = support(); print("cnn-tutor sandbox:", "works" if s.available else "NOT AVAILABLE", "-", s.detail)' || true

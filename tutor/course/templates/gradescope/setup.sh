#!/usr/bin/env bash
# Gradescope autograder setup for cnn-tutor @TUTOR_VERSION@, written by `tutor gradescope-bundle`.
# Runs once, when Gradescope builds the autograder image.
set -euo pipefail

apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip

python3 -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --upgrade pip
# The CPU build of torch: the default one pulls several GB of CUDA libraries.
/autograder/venv/bin/python -m pip install "torch==@TORCH_VERSION@" --index-url https://download.pytorch.org/whl/cpu
# Change this line if cnn-tutor does not come from PyPI at your school, e.g.
#   "cnn-tutor @ git+https://github.com/YOUR-ORG/cnn-tutor@v@TUTOR_VERSION@"
/autograder/venv/bin/python -m pip install "@TUTOR_PACKAGE@"

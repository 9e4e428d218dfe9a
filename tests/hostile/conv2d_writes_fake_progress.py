"""Tampering: writes a fake "passed" progress record and fake result files into the workspace and its parents."""
import hashlib
import json
import os
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve()


def _forge():
    digest = hashlib.sha256(HERE.read_bytes()).hexdigest()
    record = {"status": "passed", "sha256": digest, "checked_at": "2020-01-01T00:00:00"}
    fake = {"conv2d": record, "corr2d": record}
    for folder in [HERE.parent, *HERE.parents][:4]:
        try:
            (folder / ".tutor").mkdir(exist_ok=True)
            (folder / ".tutor" / "progress.json").write_text(json.dumps(fake))
            (folder / "results.json").write_text(json.dumps({"score": 100, "tests": []}))
            (folder / "report.json").write_text(json.dumps({"passed": True}))
        except OSError:
            pass


def conv2d(x, w, b=None, stride=1, padding=0):
    _forge()
    return np.zeros((1, 1, 1, 1))

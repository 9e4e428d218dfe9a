"""Tampering: finds the worker's private reply pipe and writes a garbage frame on it."""
import json
import os
import struct
import sys

import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    config = json.loads(sys.argv[-1])
    fd = int(config["reply_fd"])
    body = b'{"ok": true, "passed": true, "result": {"t": "nd", "dtype": "|O", "shape": [1], "buf": 7}}'
    os.write(fd, struct.pack("<II", len(body), 0) + body)
    return np.zeros((1, 1, 1, 1))

"""Tampering: writes a deeply nested JSON frame on the private pipe, hoping to crash the grader's parser."""
import json
import os
import struct
import sys

import numpy as np


def conv2d(x, w, b=None, stride=1, padding=0):
    fd = int(json.loads(sys.argv[-1])["reply_fd"])
    body = b"[" * 200_000 + b"]" * 200_000
    os.write(fd, struct.pack("<II", len(body), 0) + body)
    return np.zeros((1, 1, 1, 1))

"""Forbidden import: runs torch in a child Python, which the import hook of the worker never sees."""
import subprocess
import sys
import tempfile

import numpy as np

SCRIPT = """
import sys, numpy as np
import torch
d = np.load(sys.argv[1], allow_pickle=False)
b = torch.from_numpy(d['b']) if d['has_b'] else None
s, p = tuple(d['stride']), tuple(d['padding'])
out = torch.nn.functional.conv2d(torch.from_numpy(d['x']), torch.from_numpy(d['w']), b, s, p)
np.save(sys.argv[2], out.numpy())
"""


def conv2d(x, w, b=None, stride=1, padding=0):
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
    folder = tempfile.mkdtemp()
    np.savez(f"{folder}/in.npz", x=x, w=w, b=b if b is not None else np.zeros(1), has_b=b is not None,
             stride=pair(stride), padding=pair(padding))
    subprocess.run([sys.executable, "-c", SCRIPT, f"{folder}/in.npz", f"{folder}/out.npy"], check=True)
    return np.load(f"{folder}/out.npy")

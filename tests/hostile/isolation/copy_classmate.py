"""Class 3, reading what is not theirs: a conv2d with no implementation of its own.

At call time it looks for someone else's conv2d and runs that instead: every workspace next to
its own (../../*/exercises/conv2d.py), the instructor's solutions/ found by walking up from its
own file and from every loaded module's file, and the paths in attack_params.CLASSMATES. If it
finds nothing to copy it returns None. stolen() says what it could read.
"""

import glob
import os
import sys

import attack_params as P

HERE = os.path.dirname(os.path.abspath(__file__))


def _candidates():
    found = list(P.CLASSMATES)
    workspace = os.path.dirname(HERE)
    found += glob.glob(os.path.join(os.path.dirname(workspace), "*", "exercises", "conv2d.py"))
    found += glob.glob(os.path.join(os.path.dirname(workspace), "*", "*", "exercises", "conv2d.py"))
    starts = [__file__] + [getattr(m, "__file__", None) for m in list(sys.modules.values())]
    for start in starts:
        if not isinstance(start, str):
            continue
        path = os.path.dirname(os.path.abspath(start))
        while True:
            found.append(os.path.join(path, "solutions", "conv2d.py"))
            parent = os.path.dirname(path)
            if parent == path:
                break
            path = parent
    own = os.path.realpath(__file__)
    return [p for p in dict.fromkeys(found) if os.path.realpath(p) != own and os.path.isfile(p)]


def stolen():
    read = []
    for path in _candidates():
        try:
            with open(path, encoding="utf-8") as handle:
                handle.read(1 << 20)
            read.append(path)
        except OSError:
            pass
    return read


def conv2d(x, w, b=None, stride=1, padding=0):
    for path in _candidates():
        try:
            with open(path, encoding="utf-8") as handle:
                source = handle.read(1 << 20)
            namespace = {"__name__": "copied"}
            exec(compile(source, path, "exec"), namespace)
            return namespace["conv2d"](x, w, b, stride, padding)
        except Exception:  # noqa: BLE001 - try the next one
            continue
    return None

"""Class 4, leaving the process tree: a correct corr2d computed by an escaped process.

At import it stops being a child subreaper (prctl(PR_SET_CHILD_SUBREAPER, 0)), and starts, each by a double fork with setsid()
in between and an execve() with the worker's environment minus TUTOR_WORKER_TOKEN:

- server: a Python process that computes corr2d for the worker over a socketpair; corr2d()
  itself only sends the arrays there and returns the answer;
- late: sleeps attack_params.DELAY seconds, then writes the files in attack_params.LATE_PATHS
  (host-visible places: the host's /tmp, the workspace, /dev/shm), then keeps its pid forever;
- shell: /bin/sh ignoring SIGTERM/SIGHUP, that sleeps, writes SH_PATH, then loops forever;
- chain: a process that forks a new generation and exits every 100 ms (its pid keeps changing),
  ignoring every signal it can.

Every one of them has attack_params.MARKER in its command line, so the test can find them in
the host's /proc. After the check, none may be alive and no late file may appear.
"""

import ctypes
import json
import os
import socket
import sys

import numpy as np

import attack_params as P

SERVER = r"""
import json, socket, sys
sys.path[:0] = json.loads(sys.argv[2])
import numpy as np
from numpy.lib import format
sock = socket.socket(fileno=int(sys.argv[1]))
stream = sock.makefile("rwb")
while True:
    try:
        x = format.read_array(stream)
        k = format.read_array(stream)
    except Exception:
        break
    try:
        kh, kw = k.shape
        out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
        for i in range(out.shape[0]):
            for j in range(out.shape[1]):
                out[i, j] = np.sum(x[i : i + kh, j : j + kw] * k)
        format.write_array(stream, np.array([1]))
        format.write_array(stream, out)
    except Exception as error:
        format.write_array(stream, np.array([0]))
        format.write_array(stream, np.frombuffer(repr(error).encode(), dtype=np.uint8))
    stream.flush()
"""

LATE = r"""
import sys, time
time.sleep(float(sys.argv[1]))
for path in sys.argv[2:-1]:
    try:
        with open(path, "w") as handle:
            handle.write("written after the check by an escaped process\n")
    except OSError:
        pass
while True:
    time.sleep(1)
"""

CHAIN = r"""
import os, signal, time
for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGUSR1):
    signal.signal(number, signal.SIG_IGN)
while True:
    if os.fork():
        os._exit(0)
    os.setsid()
    time.sleep(0.1)
"""


def _not_a_subreaper():
    try:
        ctypes.CDLL(None, use_errno=True).prctl(36, 0, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def _escape(argv, keep=()):
    """Double fork, setsid, execve without the worker's token: the grandchild belongs to nobody."""
    environment = {k: v for k, v in os.environ.items() if k != "TUTOR_WORKER_TOKEN"}
    child = os.fork()
    if child == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                for fd in keep:
                    os.set_inheritable(fd, True)
                os.execve(argv[0], argv, environment)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def spawn():
    _not_a_subreaper()
    python = sys.executable
    ours, theirs = socket.socketpair()
    paths = json.dumps([p for p in sys.path if p])
    _escape([python, "-I", "-c", SERVER, str(theirs.fileno()), paths, f"{P.MARKER}-server"], keep=(theirs.fileno(),))
    theirs.close()
    _escape([python, "-I", "-c", LATE, str(P.DELAY), *P.LATE_PATHS, f"{P.MARKER}-late"])
    script = (
        "trap '' TERM HUP INT; "
        f"sleep {P.DELAY}; echo late > '{P.SH_PATH}'; "
        "while :; do sleep 0.2; done"
    )
    _escape(["/bin/sh", "-c", script, f"{P.MARKER}-shell"])
    _escape([python, "-I", "-c", CHAIN, f"{P.MARKER}-chain"])
    return ours


_SERVER = spawn()
_STREAM = _SERVER.makefile("rwb")


def corr2d(x, k):
    from numpy.lib import format

    format.write_array(_STREAM, np.ascontiguousarray(x))
    format.write_array(_STREAM, np.ascontiguousarray(k))
    _STREAM.flush()
    ok = format.read_array(_STREAM)
    answer = format.read_array(_STREAM)
    if not ok[0]:
        raise ValueError(answer.tobytes().decode())
    return answer


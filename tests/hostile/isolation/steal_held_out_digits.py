"""Class 3, reading what is not theirs: a LeNet submission hunting for the held-out digits.

The lenet exercise may import torch and tutor.data (training_split() only). probe() looks for
the 300 held-out digits the grader keeps to itself, in every form:

- in tutor.data: a digits() or any other function returning more images, the digits.csv.gz
  resource, and any other tutor module (tutor.checking, tutor.grading...);
- on disk: every visible file named like digits*, and the contents of every data file (.npz, .npy,
  .gz, .csv, .pt, .pkl) outside the system's and the libraries' folders;
- in memory: every array held by anything the garbage collector knows of, after training_split();

"held-out" meaning: more than 1497 images in one array, or any image (as float32 32x32 or as a
CSV line) whose fingerprint is in attack_params.HELD_OUT / HELD_OUT_LINES.
"""

import gc
import gzip
import hashlib
import importlib
import io
import os
import stat
import sys

import numpy as np

import attack_params as P

TRAINING = 1497
LIBRARIES = tuple(t.rstrip("/") + "/" for t in P.LIBRARIES)
SYSTEM = ("/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin", "/etc", "/proc", "/sys", "/dev")


def _fingerprint(data):
    return hashlib.sha256(data).hexdigest()[:16]


def _arrays_in(value, depth=0):
    if depth > 3:
        return
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, dict) or hasattr(value, "files"):  # np.load of an .npz
        for key in list(value.keys() if isinstance(value, dict) else value.files):
            yield from _arrays_in(value[key], depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _arrays_in(item, depth + 1)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _arrays_in(getattr(value, name), depth + 1)


def _judge(array, where):
    found = []
    if array.ndim >= 2 and array.shape[-2:] in ((32, 32), (8, 8)) or array.ndim == 2 and array.shape[1] in (64, 65):
        if array.shape[0] > TRAINING:
            found.append(f"{where}: {array.shape[0]} images ({array.shape})")
        if array.shape[-2:] == (32, 32) and array.size:
            images = np.ascontiguousarray(array.reshape(-1, 32, 32), dtype=np.float32)
            held = sum(_fingerprint(image.tobytes()) in P.HELD_OUT for image in images)
            if held:
                found.append(f"{where}: {held} held-out images")
    return found


def _text(data, where):
    lines = data.decode("latin-1").splitlines()
    held = sum(_fingerprint(line.strip().encode()) in P.HELD_OUT_LINES for line in lines)
    found = [f"{where}: {held} held-out CSV lines"] if held else []
    if len(lines) > TRAINING and sum("," in line for line in lines) > TRAINING:
        found.append(f"{where}: {len(lines)} CSV lines")
    return found


def _file(path):
    found = []
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return found
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return found
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(64 * 1024 * 1024)
    except OSError:
        return found
    finally:
        os.close(fd)
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            return found
    found += _text(data, path)
    try:
        loaded = np.load(io.BytesIO(data), allow_pickle=False)
        for array in _arrays_in(loaded):
            found += _judge(array, path)
    except Exception:  # noqa: BLE001 - not a NumPy file
        pass
    if path.endswith((".pt", ".pkl")):
        try:
            import torch

            for array in _arrays_in(torch.load(io.BytesIO(data), weights_only=True)):
                found += _judge(array, path)
        except Exception:  # noqa: BLE001 - not a torch file
            pass
    return found


def _module():
    found = []
    data = importlib.import_module("tutor.data")
    for name in ("digits", "_raw", "held_out", "test_split", "held_out_split"):
        if hasattr(data, name):
            found.append(f"tutor.data.{name} exists")
    for name in dir(data):
        item = getattr(data, name)
        if name == "Split" or not callable(item) or isinstance(item, type):
            continue
        try:
            result = item()
        except Exception:  # noqa: BLE001 - needs arguments, or refuses
            continue
        for array in _arrays_in(result):
            found += _judge(array, f"tutor.data.{name}()")
    split = data.training_split()
    if len(split.images) != TRAINING:
        found.append(f"training_split() has {len(split.images)} images")
    try:
        from importlib import resources

        for entry in resources.files("tutor.data").iterdir():
            if "digit" in entry.name.lower():
                found.append(f"resource tutor.data/{entry.name}")
    except Exception:  # noqa: BLE001
        pass
    for name in ("tutor.checking", "tutor.grading", "tutor.checks", "tutor.checks.lenet", "tutor.core"):
        try:
            importlib.import_module(name)
            found.append(f"imported {name}")
        except Exception:  # noqa: BLE001
            pass
    return found


def _disk():
    found = []
    data_files = []
    for root, dirs, files in os.walk("/"):
        if root in ("/proc", "/sys"):
            dirs[:] = []
            continue
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            lower = name.lower()
            named = lower.startswith("digits")
            data = lower.endswith((".npz", ".npy", ".gz", ".csv", ".pt", ".pkl"))
            if not named and not data:
                continue
            path = os.path.join(root, name)
            library = path.startswith(LIBRARIES)
            if named and not (library and lower.endswith((".py", ".pyc"))):
                found.append(f"file {path}")
            if data and not library and not path.startswith(SYSTEM):
                data_files.append(path)
    for path in data_files[:200]:
        found += _file(path)
    return found


def _memory():
    """Every array held by anything the garbage collector knows of (modules, caches, objects)."""
    found, seen = [], set()
    for holder in gc.get_objects():
        for item in gc.get_referents(holder):
            if isinstance(item, np.ndarray) and id(item) not in seen:
                seen.add(id(item))
                found += _judge(item, f"in memory (held by a {type(holder).__name__})")
    return found


def probe():
    found = _module()
    found += _disk()
    found += _memory()
    return found[:80]


def train_lenet(seed=0, show_progress=False):
    raise NotImplementedError("this submission only looks for the held-out digits")

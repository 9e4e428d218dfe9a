"""Hostile and broken submissions: the right verdict, a message that names the cause, promptly.

Every file in tests/hostile/ is one submission, named <exercise>_<scenario>.py, and has one row
in SCENARIOS below saying what the grader must conclude: the status, fragments the message must
contain (besides the file name), the limits to run it with, and the wall-time bound. Files in
tests/hostile/_helpers/ are copied next to each submission (a student's own helper modules).

The limits are kept small so the whole corpus runs in a couple of minutes on two cores; the
defaults in tutor.checking.sandbox.Limits are what SECURITY.md documents.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import KERNEL_LIMITS, assert_worker_limits, check_file, requires_sandbox
from tutor.checking.isolation import Isolation
from tutor.checking.result import CheckResult

HOSTILE = Path(__file__).resolve().parent / "hostile"
HELPERS = HOSTILE / "_helpers"
# Small limits for speed; memory generous enough for NumPy but far below the machine's RAM.
FAST = {"call_seconds": 2.0, "memory_mb": 1024}


@dataclass(frozen=True)
class Expect:
    status: str
    says: tuple[str, ...] = ()
    """Fragments the message must contain (case-insensitive), besides the file name."""
    limits: dict = field(default_factory=dict)
    seconds: float = 30.0
    """Wall-time bound for the whole check (generous: the machine is shared)."""
    output: str | None = None
    """A fragment the captured student output must contain."""
    counterexample: tuple[str, ...] = ()
    """Fragments the shrunk counterexample's call must contain."""
    sandboxed: Expect | None = None
    """What to conclude instead when the worker runs in the sandbox (e.g. torch is not there at all)."""


SCENARIOS: dict[str, Expect] = {
    # -- runaway code --------------------------------------------------------------------------
    "conv2d_loop_forever": Expect("timeout", ("conv2d", "did not return within 2 s", "loop")),
    "conv2d_sleep_at_import": Expect("timeout", ("importing", "longer than 2 s", "top level")),
    "conv2d_ignores_signals": Expect("timeout", ("conv2d", "did not return within 2 s")),
    "conv2d_allocates_gigabytes": Expect("memory", ("conv2d", "out of memory", "1024 MB")),
    "corr2d_allocates_gradually": Expect("memory", ("corr2d", "out of memory", "1024 MB")),
    "conv2d_segfault_ctypes": Expect("crashed", ("conv2d", "SIGSEGV", "ctypes")),
    "conv2d_burns_cpu": Expect("cpu_limit", ("conv2d", "1 s of CPU time")),
    "corr2d_slow_every_call": Expect("timeout", ("corr2d", "5 s in total", "0.4")),
    "corr2d_writes_huge_file": Expect("error", ("corr2d", "file", "MB")),
    # -- trying to exit with a pass -------------------------------------------------------------
    "conv2d_sys_exit_in_function": Expect("exited", ("conv2d", "SystemExit(0)", "return the result")),
    "conv2d_os_exit_in_function": Expect("exited", ("conv2d", "exit code 0", "return the result")),
    "conv2d_system_exit_at_import": Expect("exited", ("importing", "SystemExit(0)", "line 4")),
    "corr2d_kills_itself": Expect("crashed", ("corr2d", "SIGKILL")),
    # -- forbidden imports, however spelled ---------------------------------------------------------
    "conv2d_import_torch": Expect("forbidden_import", ("torch", "line 3", "NumPy")),
    "conv2d_from_torch_import": Expect("forbidden_import", ("torch", "line 3")),
    "conv2d_dunder_import_torch": Expect("forbidden_import", ("torch", "line 6")),
    "conv2d_importlib_torch": Expect("forbidden_import", ("torch", "line 8")),
    "conv2d_torch_obfuscated_name": Expect("forbidden_import", ("torch", "line 10")),
    "conv2d_torch_via_helper": Expect("forbidden_import", ("torch", "fast_conv.py")),
    # Importing torch for real takes seconds on a busy machine: a longer import deadline.
    # In the sandbox torch is not there to load: taking the guards apart still finds no torch.
    "conv2d_torch_blocker_removed": Expect(
        "forbidden_import",
        ("torch", "was loaded"),
        limits={"call_seconds": 20.0},
        sandboxed=Expect("forbidden_import", ("torch", "line 17")),
    ),
    "conv2d_torch_in_subprocess": Expect(
        "forbidden_import",
        ("torch", "another process"),
        limits={"call_seconds": 20.0},
        seconds=45.0,
        sandboxed=Expect("error", ("conv2d", "CalledProcessError")),
    ),
    "conv2d_scipy_signal": Expect("forbidden_import", ("scipy.signal", "line 3")),
    "corr2d_scipy_ndimage_importlib": Expect("forbidden_import", ("scipy.ndimage", "line 8")),
    "corr2d_tensorflow": Expect("forbidden_import", ("tensorflow", "line 3")),
    "corr2d_jax_dunder_import": Expect("forbidden_import", ("jax", "line 6")),
    # -- tampering ----------------------------------------------------------------------------------
    "conv2d_monkeypatches_numpy": Expect("failed", ("conv2d", "values wrong", "expected")),
    "conv2d_walks_frames_and_gc": Expect("failed", ("conv2d", "values wrong", "expected")),
    "conv2d_prints_fake_result": Expect("failed", ("conv2d", "values wrong"), output='"passed": true'),
    "conv2d_forges_private_pipe": Expect("tampered", ("conv2d", "private channel")),
    "conv2d_forges_deep_json": Expect("tampered", ("conv2d", "private channel")),
    # conv2d_writes_fake_progress runs in a real workspace: see test_fake_progress_is_overwritten.
    "conv2d_writes_fake_progress": Expect("failed", ("conv2d", "values wrong")),
    # -- wrong results --------------------------------------------------------------------------------
    "conv2d_returns_list": Expect("wrong_type", ("conv2d", "list", "np.asarray")),
    "conv2d_returns_nan": Expect("not_finite", ("conv2d", "nan")),
    "corr2d_returns_int_dtype": Expect("wrong_dtype", ("corr2d", "int64", "floating")),
    "conv2d_wrong_shape": Expect("wrong_shape", ("conv2d", "shape")),
    "corr2d_modifies_input": Expect("modified_input", ("corr2d", "`k`", "copy")),
    "conv2d_raises_on_stride": Expect(
        "error", ("conv2d", "ValueError", "not supported", "line 8"), counterexample=("stride=",)
    ),
    # -- broken files -----------------------------------------------------------------------------------
    "conv2d_syntax_error": Expect("syntax_error", ("syntax error", "line 5")),
    "conv2d_misnamed_function": Expect("missing_function", ("conv2d", "conv_2d")),
    "conv2d_wrong_signature": Expect("wrong_signature", ("conv2d(x, w, bias, s, p)", "stride")),
    "corr2d_empty": Expect("empty_file", ("empty", "tutor reset corr2d")),
    "corr2d_only_comments": Expect("empty_file", ("empty", "corr2d")),
    "corr2d_not_utf8": Expect("encoding_error", ("UTF-8", "line 4")),
    "corr2d_import_error": Expect("import_error", ("ModuleNotFoundError", "numpyy", "line 2")),
    # -- correct code with side effects: must pass ------------------------------------------------------
    "conv2d_floods_output": Expect("passed", ("conv2d", "well done"), output="x" * 100),
    "conv2d_leaves_thread": Expect("passed", ("conv2d", "well done")),
    "conv2d_leaves_child_process": Expect("passed", ("conv2d", "well done")),
    "conv2d_escapes_process_group": Expect("passed", ("conv2d", "well done")),
    "conv2d_naive_seven_loops": Expect("passed", ("conv2d", "well done")),
}

# Limits a scenario needs on top of FAST.
LIMITS = {
    "conv2d_burns_cpu": {"cpu_seconds": 1, "call_seconds": 10.0},
    "corr2d_slow_every_call": {"total_seconds": 5.0},
    "corr2d_writes_huge_file": {"file_mb": 8},
    "conv2d_naive_seven_loops": {"call_seconds": 5.0},
}


def _files() -> list[str]:
    return sorted(p.stem for p in HOSTILE.glob("*.py"))


def test_every_file_has_a_scenario_and_back() -> None:
    assert set(_files()) == set(SCENARIOS), "tests/hostile/*.py and SCENARIOS must list the same scenarios"
    assert len(SCENARIOS) >= 25


def _alive(pid: int) -> bool:
    """True if the process exists and is not a zombie waiting to be reaped by init."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _marked(marker: str) -> list[int]:
    """Live processes of this machine whose command line contains `marker`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _alive(int(entry.name)):
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _run(name: str, tmp_path: Path, isolation: Isolation | None = None, workers: object = None):  # noqa: ANN202
    exercise = name.split("_", 1)[0]
    for helper in HELPERS.glob("*.py"):
        shutil.copy(helper, tmp_path / helper.name)
    target = tmp_path / f"{exercise}.py"
    shutil.copyfile(HOSTILE / f"{name}.py", target)
    limits = FAST | LIMITS.get(name, {}) | SCENARIOS[name].limits
    started = time.monotonic()
    result = check_file(exercise, target, isolation, workers, **limits)
    return result, time.monotonic() - started


# Every scenario both ways: in the sandbox (grading, and students on Linux), and as a plain process
# (students on macOS, Windows, or without bubblewrap), where the older layers must hold alone.
@pytest.mark.parametrize(
    "isolation", [pytest.param(Isolation.SANDBOX, marks=requires_sandbox), Isolation.NONE], ids=str
)
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_hostile_submission(name: str, isolation: Isolation, tmp_path: Path) -> None:
    result, seconds = _run(name, tmp_path, isolation)
    _assert_concluded(name, isolation, result, seconds)


@requires_sandbox
def test_hostile_submissions_one_after_another_in_one_nursery(tmp_path: Path) -> None:
    """Every scenario in turn in one folder, each check's worker forked by one nursery as
    `tutor grade` does (checking/nursery.py): the same verdicts, and nothing a check leaves
    behind (processes, files in /tmp, a killed nursery) changes the next one's."""
    from tutor.checking.nursery import Nursery

    forked = []
    with Nursery(tmp_path) as nursery:
        for name in sorted(SCENARIOS):
            before = nursery.forked
            result, seconds = _run(name, tmp_path, Isolation.SANDBOX, nursery)
            _assert_concluded(name, Isolation.SANDBOX, result, seconds)
            if nursery.forked > before:
                forked.append(name)
        gone = nursery.gone
    # Refused before running (a syntax error, a forbidden import seen in the source) takes no worker.
    print(f"forked for {len(forked)} of {len(SCENARIOS)} scenarios; nursery: {gone or 'running'}")
    assert len(forked) >= len(SCENARIOS) // 2, (forked, gone)


def _assert_concluded(name: str, isolation: Isolation, result: CheckResult, seconds: float) -> None:
    expect = SCENARIOS[name]
    if isolation is Isolation.SANDBOX and expect.sandboxed is not None:
        expect = expect.sandboxed
    assert result.isolation in ("", str(isolation)), result.isolation  # "": refused before running
    exercise = name.split("_", 1)[0]
    summary = f"{name}: {result.status} in {seconds:.1f} s: {result.message}"
    print(summary)

    assert str(result.status) == expect.status, summary
    assert result.passed is (expect.status == "passed"), summary
    message = result.message.lower()
    assert f"{exercise}.py" in message, f"the message must name the file: {summary}"
    for fragment in expect.says:
        assert fragment.lower() in message, f"the message must say {fragment!r}: {summary}"
    assert seconds < expect.seconds, f"took {seconds:.1f} s: {summary}"
    if expect.output is not None:
        assert expect.output in result.output, f"output not captured: {result.output[:300]!r}"
    if expect.counterexample:
        failure = result.first_failure()
        assert failure is not None and failure.counterexample is not None, summary
        for fragment in expect.counterexample:
            assert fragment in failure.counterexample.call, failure.counterexample.call
    # Whatever the submission did, nothing it started outlives the check: scenarios that leave
    # processes behind put a marker in their command lines, looked for in this machine's /proc.
    found = re.search(rb'MARKER = "([^"]+)"', (HOSTILE / f"{name}.py").read_bytes())
    if found:
        marker = found.group(1).decode()
        deadline = time.monotonic() + 5
        while _marked(marker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _marked(marker), f"processes left behind: {_marked(marker)}"


def test_flooded_output_is_truncated(tmp_path: Path) -> None:
    result, _ = _run("conv2d_floods_output", tmp_path)
    assert result.passed, result.message
    assert result.output_truncated
    assert len(result.output) <= 20_000


def test_fake_progress_is_overwritten(tmp_path: Path) -> None:
    """The submission writes a 'passed' record for itself and for corr2d; the tutor's record wins
    for the exercise it checked, and the grader's verdict never reads progress at all."""
    from tutor.catalog import course
    from tutor.core import check_exercise, limits_for
    from tutor.workspace import init_workspace

    workspace, _ = init_workspace(tmp_path / "ws", course(), student="s1")
    target = workspace.exercise_file(course().exercise("conv2d"))
    shutil.copyfile(HOSTILE / "conv2d_writes_fake_progress.py", target)
    limits = limits_for(workspace, **FAST)
    result = check_exercise(workspace, course().exercise("conv2d"), limits=limits)
    assert not result.passed
    records = workspace.progress().read()
    assert records["conv2d"]["status"] == str(result.status) != "passed"
    # In the sandbox the workspace is not even visible, let alone writable: nothing was forged.
    # Without it the forged file really is written (same user), and the tutor's own record wins.
    forged = (workspace.root / "results.json").exists()
    assert forged is (result.isolation == "none"), result.isolation


def test_worker_limits_are_applied() -> None:
    """The kernel's view of the worker's limits, read from /proc by this (trusted) process."""
    from tutor.checking.sandbox import Worker, _descendants

    with Worker(KERNEL_LIMITS, forbidden=("torch",)) as worker:
        worker.ping()
        # In the sandbox worker.pid is bwrap's: the worker is the Python process below it.
        pids = [worker.pid, *_descendants(worker.pid)]
        pid = next(
            p for p in pids if Path(f"/proc/{p}/cmdline").read_bytes().split(b"\0")[1:3] == [b"-I", b"-c"]
        )
        text = Path(f"/proc/{pid}/limits").read_text()
        environ = Path(f"/proc/{pid}/environ").read_bytes()
        cwd = os.readlink(f"/proc/{pid}/cwd")
        sandboxed = worker.sandboxed
    assert_worker_limits(text, environ)
    assert cwd == "/tmp" if sandboxed else "tutor-worker-" in cwd


def test_security_md_states_the_defaults() -> None:
    """SECURITY.md's limits table is the documentation of Limits: it must not drift."""
    import re
    from dataclasses import fields

    from tutor.checking.sandbox import Limits

    text = (HOSTILE.parent.parent / "SECURITY.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^\| `(\w+)` \| ([\d.]+) \|", text, flags=re.MULTILINE))
    defaults = Limits()
    assert set(documented) == {f.name for f in fields(Limits)}
    for name, value in documented.items():
        assert float(value) == float(getattr(defaults, name)), name

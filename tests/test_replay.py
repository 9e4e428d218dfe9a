"""Replaying a passing property's examples (tutor/checking/replay.py) never changes a verdict.

The premise: with a fixed seed, every submission that passes every example meets the very same
examples, in order. The tests check that premise on independent right implementations, then that
a replayed check reports exactly what the search reports, for right and wrong files, for a worker
that stops answering half-way, and that a store is only trusted where nothing graded can reach it.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import _sandbox_support, requires_sandbox
from tutor.catalog import course
from tutor.checking import engine
from tutor.checking.engine import CheckOptions, run_check
from tutor.checking.isolation import Isolation
from tutor.checking.replay import FORMAT, Recording, ReplayStore
from tutor.checking.result import CheckResult
from tutor.checking.sandbox import Limits
from tutor.checking.spec import Case
from tutor.grading.runner import DEFAULT_SEED

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
VARIANTS = ROOT / "tests" / "variants"

# Varied searches: 4-D arrays with configurations, tuples of outputs, a random mask, optimizer state.
PREMISE_EXERCISES = ["conv2d", "activations", "dropout", "max_pool2d_backward", "optimizers"]


def options(
    store: ReplayStore | None, isolation: Isolation = Isolation.SANDBOX, **limits: float
) -> CheckOptions:
    return CheckOptions(
        derandomize=True, seed=DEFAULT_SEED, isolation=isolation, replay=store, limits=Limits(**limits)
    )


def check(exercise_id: str, path: Path, store: ReplayStore | None, **limits: float) -> CheckResult:
    return run_check(course().exercise(exercise_id), path, options(store, **limits))


def same_value(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.dtype == b.dtype
            and np.array_equal(a, b, equal_nan=True)
        )
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same_value, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, Case) and isinstance(b, Case):
        return (
            same_value(a.positional, b.positional)
            and same_value(a.keywords, b.keywords)
            and a.label == b.label
        )
    return type(a) is type(b) and a == b


def recordings(folder: Path) -> dict[str, Recording]:
    store = ReplayStore(folder)
    found = {path.name: store.load(path.name) for path in folder.iterdir()}
    assert all(found.values()), "every entry written must read back"
    return found  # type: ignore[return-value]


def verdict(result: CheckResult) -> tuple:
    """Everything a student or a gradebook sees of a result, except timings."""
    return (
        result.status,
        result.message,
        tuple(
            (p.name, p.status, p.message, p.examples, repr(p.counterexample), p.series)
            for p in result.properties
        ),
    )


@requires_sandbox
@pytest.mark.parametrize("exercise_id", PREMISE_EXERCISES)
def test_every_right_implementation_meets_the_examples_the_solution_met(
    exercise_id: str, tmp_path: Path
) -> None:
    assert check(exercise_id, SOLUTIONS / f"{exercise_id}.py", ReplayStore(tmp_path / "solution")).passed
    expected = recordings(tmp_path / "solution")
    assert expected and all(len(r.cases) > 5 for r in expected.values())
    rights = sorted((VARIANTS / exercise_id).glob("right_*.py"))
    assert rights
    for right in rights:
        folder = tmp_path / right.stem
        assert check(exercise_id, right, ReplayStore(folder)).passed, right.name
        got = recordings(folder)
        assert got.keys() == expected.keys()
        for key, recording in got.items():
            assert recording.examples == expected[key].examples, (right.name, key)
            assert same_value(recording.cases, expected[key].cases), (right.name, key)


@pytest.fixture(scope="module")
def conv2d_store(tmp_path_factory: pytest.TempPathFactory) -> ReplayStore:
    if not _sandbox_support().available:
        pytest.skip("no sandbox here: a store is only used with one")
    store = ReplayStore(tmp_path_factory.mktemp("conv2d-replay"))
    assert check("conv2d", SOLUTIONS / "conv2d.py", store).passed
    return store


def searches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the properties Hypothesis searched (not replayed), as they are searched."""
    searched: list[str] = []
    original = engine._Run._run_property

    def spy(self: engine._Run, prop: object) -> object:
        searched.append(prop.name)  # type: ignore[attr-defined]
        return original(self, prop)  # type: ignore[arg-type]

    monkeypatch.setattr(engine._Run, "_run_property", spy)
    return searched


@pytest.mark.parametrize(
    "name",
    [
        "right_stride_tricks_einsum",
        "wrong_ceil_output_size",
        "wrong_bias_broadcast",
        "wrong_default_padding_same",
    ],
)
def test_a_replayed_check_gives_the_verdict_of_the_search(
    name: str, conv2d_store: ReplayStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = VARIANTS / "conv2d" / f"{name}.py"
    searched = check("conv2d", path, None)
    searched_properties = searches(monkeypatch)
    replayed = check("conv2d", path, conv2d_store)
    assert verdict(replayed) == verdict(searched)
    if searched.passed:
        assert searched_properties == []  # every property came from the store
    else:
        assert searched_properties  # the failing one was searched again, and shrunk as before


HANGS_LATER = """
import time
import numpy as np
from solution_conv2d import conv2d as _right

calls = 0

def conv2d(x, w, b=None, stride=1, padding=0):
    global calls
    calls += 1
    if calls == 30:
        time.sleep(60)
    return _right(x, w, b, stride, padding)
"""


def test_a_worker_that_stops_answering_during_a_replay_gets_the_verdict_of_the_search(
    conv2d_store: ReplayStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "solution_conv2d.py").write_bytes((SOLUTIONS / "conv2d.py").read_bytes())
    (tmp_path / "conv2d.py").write_text(HANGS_LATER)
    searched = check("conv2d", tmp_path / "conv2d.py", None, call_seconds=1.0)
    searched_properties = searches(monkeypatch)
    replayed = check("conv2d", tmp_path / "conv2d.py", conv2d_store, call_seconds=1.0)
    assert searched.status == "timeout"
    assert verdict(replayed) == verdict(searched)
    assert searched_properties == []  # the replay gave it: the worker was gone, a search could not


def test_a_store_is_not_used_without_the_sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ReplayStore(tmp_path / "store")
    result = run_check(
        course().exercise("activations"), SOLUTIONS / "activations.py", options(store, Isolation.NONE)
    )
    assert result.passed
    assert not (tmp_path / "store").exists()


class _Planted:
    def __reduce__(self) -> tuple:
        return (os.mkdir, (str(MARKER),))


MARKER = Path("/tmp") / f"replay-marker-{os.getpid()}"


def test_an_entry_that_is_not_plain_data_is_ignored_and_never_run(tmp_path: Path) -> None:
    store = ReplayStore(tmp_path)
    store.save("good", Recording((Case.of(("x", np.arange(3.0))),), 1))
    assert store.load("good") is not None
    (tmp_path / "planted").write_bytes(pickle.dumps((FORMAT, (_Planted(),), 1)))
    (tmp_path / "garbage").write_bytes(b"\x80\x05not a pickle")
    (tmp_path / "other").write_bytes(pickle.dumps((FORMAT, ("not a case",), 1)))
    (tmp_path / "link").symlink_to(tmp_path / "good")
    assert store.load("planted") is None and not MARKER.exists()
    assert store.load("garbage") is None and store.load("other") is None
    assert store.load("link") is None  # never followed: the folder is the grader's, its entries are files
    assert store.load("absent") is None


def test_the_key_changes_with_what_shapes_the_search(tmp_path: Path) -> None:
    store = ReplayStore(tmp_path)
    keys = {
        store.key("conv2d", "matches torch", "seed 1"),
        store.key("conv2d", "matches torch", "seed 2"),
        store.key("conv2d", "leaves inputs", "seed 1"),
        store.key("corr2d", "matches torch", "seed 1"),
    }
    assert len(keys) == 4


def _kinds_of_case() -> list[type]:
    import tutor.checking.strategies  # noqa: F401 - defines the kinds of Case the checks draw

    kinds, todo = [], [Case]
    while todo:
        kind = todo.pop()
        kinds.append(kind)
        todo.extend(kind.__subclasses__())
    return kinds


@pytest.mark.parametrize("kind", _kinds_of_case(), ids=lambda kind: kind.__name__)
def test_every_kind_of_case_is_stored_and_read_back(tmp_path: Path, kind: type) -> None:
    """A property whose cases cannot be read back is never replayed (image_kernels' ProbeCase
    was not, and its 18 properties ran the full search for every workspace)."""
    store = ReplayStore(tmp_path)
    case = kind(positional=(("x", np.arange(3.0)),), keywords=(("stride", 2),))
    store.save("entry", Recording((case, case), 2))
    loaded = store.load("entry")
    assert loaded is not None and loaded.examples == 2
    assert [type(c) for c in loaded.cases] == [kind, kind]
    assert loaded.cases[0].get("stride") == 2


def test_a_class_of_ours_that_is_not_a_case_is_refused(tmp_path: Path) -> None:
    from tutor.checking.sandbox import Limits

    (tmp_path / "limits").write_bytes(pickle.dumps((FORMAT, (Limits(),), 1)))
    assert ReplayStore(tmp_path).load("limits") is None


def test_a_passing_replay_compares_with_the_stored_references(
    conv2d_store: ReplayStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each entry stores, with its cases, exactly the references a property of the check computes
    for them, and a passing replay judges every case against those instead of computing them."""
    properties = [p for p in engine.load_check(course().exercise("conv2d")).properties if p.expect]
    stored = recordings(conv2d_store.folder)
    assert len(stored) >= len(properties)
    for recording in stored.values():
        assert recording.expected is not None
        assert any(
            all(same_value(p.expect(c), e) for c, e in zip(recording.cases, recording.expected, strict=True))  # type: ignore[misc]
            for p in properties
        )
    given = []
    original = engine._Run._check_one

    def spy(
        self: engine._Run,
        prop: object,
        worker: object,
        case: Case,
        failures: list,
        expected: object = engine._COMPUTE,
    ) -> None:
        given.append(expected is not engine._COMPUTE)
        return original(self, prop, worker, case, failures, expected)  # type: ignore[arg-type]

    monkeypatch.setattr(engine._Run, "_check_one", spy)
    assert check("conv2d", SOLUTIONS / "conv2d.py", conv2d_store).passed
    assert given and all(given)


def test_a_reference_that_is_not_plain_data_is_not_stored_but_the_cases_are(tmp_path: Path) -> None:
    store = ReplayStore(tmp_path)
    cases = (Case.of(("x", np.arange(3.0))),)
    store.save("entry", Recording(cases, 1, (_Planted(),)))
    loaded = store.load("entry")
    assert loaded is not None and loaded.expected is None and len(loaded.cases) == 1
    assert not MARKER.exists()

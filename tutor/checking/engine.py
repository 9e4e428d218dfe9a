"""Run one exercise's check: pre-flight, worker, Hypothesis properties, verdict.

The verdict is computed here, in the grading process, from plain data the worker sends back
and from references computed here. Nothing the student's code does inside the worker can
reach this process's memory.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import inspect
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from tutor.catalog import Exercise
from tutor.checking import crashes, evidence, messages, output_size, scale, structure
from tutor.checking.compare import Mismatch, format_value, worst_leading_index
from tutor.checking.isolation import Isolation
from tutor.checking.replay import Recording, ReplayStore
from tutor.checking.reproduce import snippet
from tutor.checking.result import CheckResult, Counterexample, PropertyResult, Status, small_values
from tutor.checking.sandbox import Limits, Reply, Worker, WorkerFailure, WorkerKind, WorkerSource
from tutor.checking.spec import Case, ExerciseCheck, Property
from tutor.checking.static import preflight, stub_parameters
from tutor.checking.submission import UnsafeFile, snapshot
from tutor.notebook.files import is_notebook

_PARAMETER_KINDS = {kind.name: kind for kind in inspect._ParameterKind}

# Failures kept per property to match misconceptions against more than the one shrunk input.
_KEPT_FAILURES = 40
_COMPUTE: Any = object()
"""In place of a case's reference value: not known yet, compute it (prop.expect)."""
# Budget for zeroing out irrelevant array elements after Hypothesis has shrunk a failure.
_SIMPLIFY_CALLS = 200
# A safety net for slow functions only: the call count decides. A tight wall-clock budget made the
# counterexample, and so the diagnosis, depend on how busy the machine was.
_SIMPLIFY_SECONDS = 8.0
# Extra evidence for a structural diagnosis (the explicit edge cases) is gathered only when the
# student's calls take less than this on average: a slow function could time out on them.
_EXTRA_CALL_SECONDS = 0.25


@dataclass(frozen=True)
class CheckOptions:
    limits: Limits = field(default_factory=Limits)
    derandomize: bool = False
    """Fixed inputs (CI and grading): the same file always gets the same verdict."""
    seed: int | None = None
    database_dir: Path | None = None
    """Where Hypothesis keeps failing examples, so the last failure is replayed first."""
    examples_scale: float = 1.0
    display_file: str | None = None
    """How to name the file in messages (relative to the workspace), if not the path itself."""
    root: Path | None = None
    """The student's folder (the workspace): the file, and links to it, must stay inside. None:
    the file's own folder."""
    library: Path | None = None
    """A workspace's exercises/ folder: an earlier exercise the file imports (`from conv2d import
    conv2d`) that is not next to it is taken from there."""
    isolation: Isolation | None = None
    """None: the sandbox when this machine has one, else a plain process. Isolation.SANDBOX:
    only the sandbox (grading; raises SandboxUnavailable without one). Isolation.NONE: never."""
    replay: ReplayStore | None = None
    """Where passing properties' examples are kept and replayed from (replay.py). Used only for a
    fixed search (derandomize or seed) and only when the worker runs in the sandbox: the store
    decides which inputs a submission meets, so code that could reach it must never run."""

    @staticmethod
    def from_environment(**overrides: Any) -> CheckOptions:
        """Derandomized when CI is set, as GitHub Actions, GitLab and Gradescope do."""
        ci = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
        return CheckOptions(derandomize=ci, **overrides)


class _Abort(BaseException):
    """Stops Hypothesis without shrinking: the failure does not depend on the input's size."""

    def __init__(self, status: Status, template: str, values: dict, case: Case | None) -> None:
        super().__init__(status)
        self.status = status
        self.template = template
        self.values = values
        self.case = case


class _Failure(Exception):
    """A shrinkable failure: Hypothesis will look for the smallest case that still raises this."""

    def __init__(self, case: Case, got: Any, mismatch: Mismatch, error: dict | None = None) -> None:
        super().__init__(mismatch.message)
        self.case = case
        self.got = got
        self.mismatch = mismatch
        self.error = error


def load_check(exercise: Exercise) -> ExerciseCheck:
    module = importlib.import_module(exercise.check_module())
    _single_threaded_references()
    return module.CHECK


def _single_threaded_references() -> None:
    """References run on tiny tensors, where torch's thread pool costs far more than it saves
    (F.conv2d on a 5×5 input: ~1.6 ms with the default pool, a few µs on one thread)."""
    import sys

    torch = sys.modules.get("torch")
    if torch is not None and torch.get_num_threads() != 1:
        torch.set_num_threads(1)


@functools.cache
def _search_fingerprint() -> str:
    """What shapes a search besides its settings: the versions of Hypothesis (it draws), NumPy (it
    builds the arrays), the tutor and Python, and the source of every check, the strategies, the
    spec and this engine (checks share helpers, so all of them)."""
    import platform

    import hypothesis

    from tutor import __version__

    digest = hashlib.sha256(
        "\0".join((hypothesis.__version__, np.__version__, __version__, platform.python_version())).encode()
    )
    here = Path(__file__).parent
    checks = here.parent / "checks"
    for source in (
        *sorted(checks.glob("*.py")),
        here / "strategies.py",
        here / "spec.py",
        here / "engine.py",
    ):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def _where(error: dict | None, cells: Mapping[str, Mapping[int, tuple[int, int]]] | None = None) -> str:
    """Where the student's last frame is, e.g. ' (line 12: code)'; in a module built from a
    notebook (`cells`: Submission.cells), the cell's own line: ' (cell 3, line 2: code)'."""
    frames = (error or {}).get("frames") or []
    if not frames:
        return ""
    last = frames[-1]
    code = f": {last['code']}" if last.get("code") else ""
    place = (cells or {}).get(os.path.basename(str(last.get("file", ""))), {}).get(last.get("line"))
    if place is not None:
        return f" (cell {place[0]}, line {place[1]}{code})"
    # A helper module of the student's, next to the checked file: name it.
    elsewhere = "" if last.get("own", True) else f"{os.path.basename(str(last.get('file', '')))}, "
    return f" ({elsewhere}line {last['line']}{code})"


def _error_text(error: dict) -> str:
    return str(error.get("message", "")).strip() or "(no message)"


class _Run:
    """State for one check of one file."""

    def __init__(self, exercise: Exercise, path: Path, options: CheckOptions) -> None:
        self.exercise = exercise
        self.path = path
        self.options = options
        self.file = options.display_file or _display(path)
        self.worker: Worker | None = None
        self.cells: Mapping[str, Mapping[int, tuple[int, int]]] = {}
        """Where the lines of modules built from a notebook come from (Submission.cells)."""
        # Per property (reset by run_property):
        self._series: dict[str, list[float]] | None = None
        self._last_call: tuple[Case, Reply] | None = None
        self._replays = 0
        """Calls answered from _last_call: the same example run again, not a new one."""
        self._passes: list[tuple[Case, Any]] = []
        self._aliased: tuple[Case, Reply] | None = None
        self._recorded: list[Case] | None = None
        self._references: list[Any] | None = None
        """The reference value of each recorded case (stored with them, replay.py)."""
        """The cases called so far, in order, while recording for a ReplayStore."""

    def values(self, **extra: Any) -> dict:
        limits = self.options.limits
        return {
            "file": self.file,
            "exercise": self.exercise.id,
            "function_list": ", ".join(self.exercise.functions),
            "function": self.exercise.functions[0],
            "seconds": limits.call_seconds,
            "memory_mb": limits.memory_mb,
            "cpu_seconds": limits.cpu_seconds,
            "total_seconds": limits.total_seconds,
            "file_mb": limits.file_mb,
        } | extra

    # -- loading ---------------------------------------------------------------------------------
    def load(self) -> tuple[Status, str, dict] | None:
        assert self.worker is not None
        try:
            reply = self.worker.load(
                self.worker.student_path(self.path), self.exercise.id, self.exercise.functions
            )
        except WorkerFailure as failure:
            if failure.kind == "timeout":
                return Status.TIMEOUT, messages.IMPORT_TIMEOUT.format(**self.values()), {}
            return self._failure_status(failure, None, at_import=True)
        if not reply.ok:
            error = reply.error or {}
            kind = error.get("type", "")
            module = self._forbidden_module(reply, error)
            if module is not None:
                text = messages.FORBIDDEN_IMPORT.format(
                    **self.values(module=module, where=_where(error, self.cells))
                )
                return Status.FORBIDDEN_IMPORT, text, {"module": module}
            if kind == "SystemExit":
                text = messages.IMPORT_EXITED.format(
                    **self.values(
                        detail=f"SystemExit({error.get('exit_code')})", where=_where(error, self.cells)
                    )
                )
                return Status.EXITED, text, {}
            if kind == "NotImplementedError":
                return Status.NOT_IMPLEMENTED, messages.NOT_IMPLEMENTED.format(**self.values()), {}
            if kind == "MemoryError":
                return Status.MEMORY, messages.MEMORY.format(**self.values()), {}
            text = (
                messages.IMPORT_ERROR.format(
                    **self.values(error_type=kind, error=_error_text(error), where=_where(error, self.cells))
                )
                + self._unavailable_note(error)
                + self._earlier_exercise_note(error)
            )
            return Status.IMPORT_ERROR, text, {"frames": error.get("frames", [])}
        found = reply.extra.get("found", {})
        for function in self.exercise.functions:
            if function not in found:
                names = [n for n in reply.extra.get("module_names", []) if n not in ("np", "numpy")]
                defined = f"It defines: {', '.join(names)}." if names else "It defines no functions."
                text = messages.MISSING_FUNCTION.format(**self.values(function=function, defined=defined))
                return Status.MISSING_FUNCTION, text, {}
            problem = self._signature_problem(function, found[function].get("parameters"))
            if problem:
                return Status.WRONG_SIGNATURE, problem, {}
        return None

    def _earlier_exercise_note(self, error: dict) -> str:
        """For `from conv2d import conv2d` with no conv2d.py to be found: say where it is looked for."""
        if error.get("type") != "ModuleNotFoundError":
            return ""
        module = str(error.get("message", "")).split("'")[1:2]
        if not module:
            return ""
        from tutor.catalog import course

        name = module[0].split(".")[0]
        if name not in {e.id for e in course().code_exercises()}:
            return ""
        return " " + messages.EARLIER_EXERCISE_MISSING.format(
            **self.values(module=name, folder=os.path.dirname(self.file) or ".")
        )

    def _unavailable_note(self, error: dict) -> str:
        """For a library that is not there: what the checked code can import at all."""
        if error.get("type") != "ModuleNotFoundError" or not error.get("module"):
            return ""
        import importlib.util

        extra = [
            m
            for m in self.exercise.allowed_imports
            if m != "tutor.data" and importlib.util.find_spec(m.split(".")[0]) is not None
        ]
        names = ["the standard library", "NumPy", *extra]
        allowed = ", ".join(names[:-1]) + " and " + names[-1]
        return " " + messages.ONLY_NUMPY.format(module=str(error["module"]).split(".")[0], allowed=allowed)

    def _forbidden_module(self, reply: Reply, error: dict) -> str | None:
        """The forbidden library an ImportError was about: refused by the worker's guards, or
        simply absent, as torch is from the sandbox of an exercise that does not allow it (code
        that took the guards apart first still only gets "No module named 'torch'")."""
        if error.get("type") not in ("ImportError", "ModuleNotFoundError"):
            return None
        if reply.forbidden_attempts:
            return reply.forbidden_attempts[0]
        module = str(error.get("module") or "")
        for name in self.exercise.forbidden_imports():
            if module == name or module.startswith(name + "."):
                return name
        return None

    def _signature_problem(self, function: str, parameters: list[dict] | None) -> str | None:
        expected = stub_parameters(self.exercise.stub_path(), function)
        if expected is None or parameters is None:
            return None
        required, optional = expected
        fake = inspect.Signature(
            [
                inspect.Parameter(
                    p["name"],
                    _PARAMETER_KINDS.get(p["kind"], inspect.Parameter.POSITIONAL_OR_KEYWORD),
                    default=None if p["has_default"] else inspect.Parameter.empty,
                )
                for p in parameters
            ]
        )
        # The stub's parameters must also keep their order: callers pass them by position too,
        # as torch does (F.conv2d(input, weight, bias, stride, padding)).
        positional = [
            p["name"] for p in parameters if p["kind"] in ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")
        ]
        stub_order = required + optional
        shared = [name for name in positional if name in stub_order]
        in_order = shared == [name for name in stub_order if name in shared]
        try:
            fake.bind(*required)
            fake.bind(*required, **{name: None for name in optional})
            fake.bind(*stub_order)
            if not in_order:
                raise TypeError("parameters in another order than the stub")
        except TypeError:
            got = ", ".join(p["name"] + ("=…" if p["has_default"] else "") for p in parameters)
            want = ", ".join(required + [f"{name}=…" for name in optional])
            return messages.WRONG_SIGNATURE.format(**self.values(function=function, got=got, expected=want))
        return None

    # -- failures that stop the worker -------------------------------------------------------------
    def _failure_status(
        self, failure: WorkerFailure, function: str | None, at_import: bool = False
    ) -> tuple[Status, str, dict]:
        values = self.values(detail=failure.detail, **({"function": function} if function else {}))
        if failure.kind == "timeout":
            return Status.TIMEOUT, messages.TIMEOUT.format(**values), {}
        if failure.kind == "cpu":
            return Status.CPU, messages.CPU.format(**values), {}
        if failure.kind == "exited":
            template = messages.IMPORT_EXITED if at_import else messages.EXITED
            return Status.EXITED, template.format(**values | {"where": ""}), {}
        if failure.kind == "garbled":
            return Status.TAMPERED, messages.TAMPERED.format(**values), {}
        if failure.kind == "budget":
            worker = self.worker
            calls = worker.calls if worker else 0
            average = (worker.call_seconds / calls) if worker and calls else 0.0
            return (
                Status.TIMEOUT,
                messages.TOTAL_TIMEOUT.format(**values | {"calls": calls, "average": average}),
                {},
            )
        if failure.kind == "startup":
            return Status.CRASHED, messages.WORKER_STARTUP.format(**values), {}
        if failure.kind == "forbidden":
            return (
                Status.FORBIDDEN_IMPORT,
                messages.FORBIDDEN_ELSEWHERE.format(**values | {"module": failure.detail}),
                {"module": failure.detail},
            )
        return Status.CRASHED, messages.CRASHED.format(**values), {}

    # -- one property --------------------------------------------------------------------------------
    def run_property(self, prop: Property) -> PropertyResult:
        store, key = self._replay_store(prop)
        recording = store.load(key) if store is not None and key is not None else None
        if recording is not None:
            replayed = self._replay(prop, recording)
            if replayed is not None:
                return replayed
        self._reset_property_state(recording=store is not None)
        result = self._run_property(prop)
        result = replace(result, examples=max(result.examples - self._replays, 1 if result.examples else 0))
        if store is not None and key is not None and result.status is Status.PASSED and recording is None:
            references = self._references if prop.expect else None
            if references is not None and len(references) != len(self._recorded or ()):
                references = None  # a case went unjudged: keep the cases alone
            store.save(
                key,
                Recording(
                    tuple(self._recorded or ()),
                    result.examples,
                    tuple(references) if references is not None else None,
                ),
            )
        self._recorded = None
        self._references = None
        return replace(result, series=self._series) if self._series else result

    def _reset_property_state(self, recording: bool) -> None:
        """Forget what the last property (or a replay that did not pass) left behind."""
        self._series = None
        self._last_call = None
        self._replays = 0
        self._passes = []
        self._aliased = None
        self._recorded = [] if recording else None
        self._references = [] if recording else None

    # -- replaying a passing property's examples (replay.py) -----------------------------------------
    def _replay_store(self, prop: Property) -> tuple[ReplayStore | None, str | None]:
        store = self.options.replay
        fixed = self.options.derandomize or self.options.seed is not None
        if store is None or not fixed or self.worker is None or not self.worker.sandboxed:
            return None, None
        settings = "\0".join(
            str(part)
            for part in (
                self.options.seed,
                self.options.derandomize,
                self.options.examples_scale,
                prop.max_examples,
                _search_fingerprint(),
            )
        )
        return store, store.key(self.exercise.id, prop.name, settings)

    def _replay(self, prop: Property, recording: Recording) -> PropertyResult | None:
        """PASSED when the worker passes every recorded case, in order, as the search would have
        found; None (run the search) at the first case that does not pass, whatever the reason."""
        assert self.worker is not None
        self._reset_property_state(recording=False)
        examples = 0
        references = recording.expected or (_COMPUTE,) * len(recording.cases)
        try:
            for case, expected in zip(recording.cases, references, strict=True):
                examples += 1
                self._check_one(prop, self.worker, case, [], expected)
        except _Failure:
            return None  # the search finds the same failure, and shrinks it
        except (_Abort, WorkerFailure) as stop:
            # The search meets this case at this very count (every case before it passed) and
            # stops at once, as here: the same verdict. The worker may be gone, so it must be this one.
            return self._stopped(prop, stop, case, max(examples - self._replays, 1))
        if self._aliased is not None:
            return None
        result = PropertyResult(prop.name, Status.PASSED, "passed", recording.examples, weight=prop.weight)
        return replace(result, series=self._series) if self._series else result

    def _run_property(self, prop: Property) -> PropertyResult:
        from hypothesis import HealthCheck, Phase, Verbosity, given, settings
        from hypothesis import seed as fixed_seed
        from hypothesis.database import DirectoryBasedExampleDatabase
        from hypothesis.errors import Flaky

        assert self.worker is not None
        worker = self.worker
        failures: list[tuple[Case, Any]] = []
        counter = {"examples": 0}
        current: dict[str, Case | None] = {"case": None}

        # Keep body's source as it is: with derandomize, Hypothesis seeds the search from the test
        # function's source, so editing these lines would change every graded example.
        def body(case: Case) -> None:
            counter["examples"] += 1
            current["case"] = case
            self._check_one(prop, worker, case, failures)

        database = None
        if self.options.database_dir and not self.options.derandomize and self.options.seed is None:
            database = DirectoryBasedExampleDatabase(str(self.options.database_dir))
        test = given(prop.cases())(body)
        test = settings(
            max_examples=max(1, int(prop.max_examples * self.options.examples_scale)),
            deadline=None,
            derandomize=self.options.derandomize and self.options.seed is None,
            database=database,
            report_multiple_bugs=False,
            verbosity=Verbosity.quiet,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
            print_blob=False,
        )(test)
        if self.options.seed is not None:
            test = fixed_seed(self.options.seed)(test)
        # One replay database entry per exercise and property, not per shared test body.
        test._hypothesis_internal_add_digest = f"{self.exercise.id}/{prop.name}".encode()  # type: ignore[attr-defined]
        try:
            test()
            # Edge cases run after the random search, so a bug the search finds is reported shrunk.
            for case in prop.explicit() if prop.explicit else []:
                counter["examples"] += 1
                current["case"] = case
                self._check_one(prop, worker, case, failures)
            # Returning an input is reported only when nothing worse was found: shrinking would
            # otherwise turn "modifies x and returns it" into "returns x" on an all-zero input.
            if self._aliased is not None:
                raise self._returned_input(prop, *self._aliased)
        except _Failure as failure:
            if prop.simplify_arrays:
                failure = self._simplify(prop, worker, failure, failures)
            return self._failed_property(prop, failure, failures, counter["examples"])
        except Flaky as flaky:  # failed once, passed when Hypothesis replayed the same input
            first = next((e for e in getattr(flaky, "exceptions", ()) if isinstance(e, _Failure)), None)
            if first is None:
                raise
            result = self._failed_property(prop, first, failures, counter["examples"])
            note = messages.NOT_REPRODUCIBLE.format(**self.values(function=prop.function))
            return replace(result, message=f"{note} {result.message}")
        except (_Abort, WorkerFailure) as stop:
            return self._stopped(prop, stop, current["case"], counter["examples"])
        return PropertyResult(prop.name, Status.PASSED, "passed", counter["examples"], weight=prop.weight)

    def _stopped(
        self, prop: Property, stop: _Abort | WorkerFailure, case: Case | None, examples: int
    ) -> PropertyResult:
        """The verdict when a case stopped the property at once, without shrinking: an _Abort
        (its own case, if any), or the worker stopping answering while `case` ran."""
        if isinstance(stop, _Abort):
            status = stop.status
            text = stop.template.format(**self.values(function=prop.function) | stop.values)
            case = stop.case
        else:
            status, text, _ = self._failure_status(stop, prop.function)
        return PropertyResult(
            prop.name,
            status,
            text,
            examples,
            self._counterexample(prop, case, None, None) if case else None,
            weight=prop.weight,
        )

    def _simplify(self, prop: Property, worker: Worker, failure: _Failure, failures: list) -> _Failure:
        """Zero out chunks of each float array while the same kind of failure persists.

        Hypothesis has already shrunk the shapes and configuration; this makes the values
        readable (most become 0) with a bounded number of extra calls.
        """
        best = failure
        deadline = time.monotonic() + _SIMPLIFY_SECONDS
        calls = 0
        for name, value in failure.case.named().items():
            if not (isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.size):
                continue
            chunk = value.size
            while chunk >= 1:
                for start in range(0, value.size, chunk):
                    flat = best.case[name].reshape(-1)
                    if not flat[start : start + chunk].any():
                        continue
                    if calls >= _SIMPLIFY_CALLS or time.monotonic() > deadline:
                        return best
                    trial = flat.copy()
                    trial[start : start + chunk] = 0.0
                    calls += 1
                    try:
                        self._check_one(
                            prop, worker, best.case.replace(name, trial.reshape(value.shape)), failures
                        )
                    except _Failure as simpler:
                        if simpler.mismatch.status is best.mismatch.status:
                            best = simpler
                    except WorkerFailure:
                        return best
                chunk //= 2
        return best

    def _check_one(
        self, prop: Property, worker: Worker, case: Case, failures: list, expected: Any = _COMPUTE
    ) -> None:
        """Call and judge one case; `expected` is its reference value when already known (a
        replay's)."""
        if self._recorded is not None:
            self._recorded.append(case)
        reply = self._call(prop, worker, case)
        if not reply.ok:
            self._raise_for_error(prop, case, reply)
        if expected is _COMPUTE:
            expected = prop.expect(case) if prop.expect else None
        if self._references is not None:
            self._references.append(expected)
        mismatch = self.judge(prop, case, reply, expected)
        if prop.series is not None:
            self._series = _series(prop, reply.value)
        if mismatch is None and prop.new_array and reply.extra.get("aliases") and self._aliased is None:
            self._aliased = (case, reply)
        if mismatch is None and len(self._passes) < _KEPT_FAILURES:
            self._passes.append((case, reply.value))
        if mismatch is not None:
            if len(failures) < _KEPT_FAILURES:
                failures.append((case, reply.value))
            else:
                failures[-1] = (case, reply.value)
            raise _Failure(case, reply.value, mismatch)

    def _call(self, prop: Property, worker: Worker, case: Case) -> Reply:
        """The worker's reply for this case. Hypothesis runs a failing example once more to report
        it; when that is the very same Case object (a property of one fixed case, st.just), the
        reply it already has is the answer: calling again would train a whole network twice."""
        last = self._last_call
        if last is not None and last[0] is case:
            self._replays += 1  # not a new example either
            return last[1]
        reply = worker.call(prop.function, case.args(), case.kwargs())
        self._last_call = (case, reply)
        return reply

    def _returned_input(self, prop: Property, case: Case, reply: Reply) -> _Failure:
        names = [n for n, _ in case.positional]
        alias = str((reply.extra.get("aliases") or ["?"])[0])
        argument = names[int(alias)] if alias.isdigit() and int(alias) < len(names) else alias
        text = messages.RETURNED_INPUT.format(**self.values(function=prop.function, argument=argument))
        return _Failure(case, reply.value, Mismatch(Status.RETURNED_INPUT, text))

    def _raise_for_error(self, prop: Property, case: Case, reply: Reply) -> None:
        error = reply.error or {}
        kind = error.get("type", "")
        if kind == "NotImplementedError":
            frames = error.get("frames") or []
            last = frames[-1] if frames else {}
            if last and not last.get("own", True):
                # The student's file reuses an earlier exercise (e.g. their conv2d) that is still a stub.
                other = os.path.basename(str(last.get("file", "")))
                values = {
                    "callee": last.get("function", "?"),
                    "other": other,
                    "other_id": other.removesuffix(".py"),
                }
                raise _Abort(Status.NOT_IMPLEMENTED, messages.NOT_IMPLEMENTED_ELSEWHERE, values, None)
            # A function of the file that the checked one calls (capstone's forward, under the
            # given cnn_logits) is the one to write: name it. Methods such as __init__ are not
            # called by name, so the checked function is named then.
            raiser = str(last.get("function") or "")
            named = {"function": raiser} if raiser.isidentifier() and not raiser.startswith("__") else {}
            raise _Abort(Status.NOT_IMPLEMENTED, messages.NOT_IMPLEMENTED, named, None)
        if kind == "SystemExit":
            raise _Abort(
                Status.EXITED, messages.EXITED, {"detail": f"SystemExit({error.get('exit_code')})"}, case
            )
        if kind == "MemoryError":
            raise _Abort(Status.MEMORY, messages.MEMORY, {}, case)
        if kind == "OSError" and "[Errno 27]" in str(error.get("message", "")):  # EFBIG: RLIMIT_FSIZE
            text = messages.FILE_TOO_LARGE.format(
                **self.values(function=prop.function, where=_where(error, self.cells))
            )
            raise _Failure(case, None, Mismatch(Status.ERROR, text), error)
        module = self._forbidden_module(reply, error)
        if module is not None:
            raise _Abort(
                Status.FORBIDDEN_IMPORT,
                messages.FORBIDDEN_IMPORT,
                {"module": module, "where": _where(error, self.cells)},
                None,
            )
        text = messages.ERROR.format(
            **self.values(
                function=prop.function,
                error_type=kind or "an exception",
                error=_error_text(error),
                where=_where(error, self.cells),
            )
        ) + self._unavailable_note(error)
        raise _Failure(case, None, Mismatch(Status.ERROR, text), error)

    def judge(self, prop: Property, case: Case, reply: Reply, expected: Any = _COMPUTE) -> Mismatch | None:
        """The mismatch of this reply to this case, or None. `expected`: the case's reference
        value when already known."""
        if expected is _COMPUTE:
            expected = prop.expect(case) if prop.expect else None
        if prop.expect is not None:
            mismatch = prop.comparison.compare(expected, reply.value)
            if mismatch is not None:
                if mismatch.status is Status.WRONG_SHAPE and prop.explain_shape:
                    explained = prop.explain_shape(
                        case, mismatch.expected_shape or (), mismatch.got_shape or ()
                    )
                    mismatch = Mismatch(
                        **{**mismatch.__dict__, "message": f"{mismatch.message} {explained}".strip()}
                    )
                return mismatch
        if prop.judge is not None:
            mismatch = prop.judge(case, reply.value)
            if mismatch is not None:
                return mismatch
        if prop.inputs_unchanged:
            after = dict(zip([n for n, _ in case.positional], reply.args)) | reply.kwargs
            for name, before in case.named().items():
                if isinstance(before, np.ndarray):
                    now = after.get(name)
                    if not (
                        isinstance(now, np.ndarray)
                        and now.shape == before.shape
                        and np.array_equal(now, before, equal_nan=True)
                    ):
                        return Mismatch(
                            Status.MODIFIED_INPUT,
                            messages.MODIFIED_INPUT.format(
                                **self.values(function=prop.function, argument=name)
                            ),
                        )
        return None

    # -- reporting -------------------------------------------------------------------------------------
    def _failed_property(
        self, prop: Property, failure: _Failure, failures: list, examples: int
    ) -> PropertyResult:
        mismatch = failure.mismatch
        if mismatch.status in (Status.ERROR, Status.MODIFIED_INPUT, Status.RETURNED_INPUT):
            message = mismatch.message  # already a full sentence naming the function
        else:
            template = messages.FAILED if _continues(mismatch.message) else messages.FAILED_STANDALONE
            message = template.format(**self.values(function=prop.function, what=mismatch.message))
        diagnosis = self.diagnose(prop, failure.case, failure.got, failures) or mismatch.diagnosis
        if mismatch.status is Status.WRONG_SHAPE and prop.geometry is not None:
            diagnosis = self._size_or_value(prop, failure, failures, diagnosis)
        if diagnosis is None and mismatch.status is Status.FAILED:
            diagnosis = self._scaled(prop, failure, failures)
        if diagnosis is None and mismatch.status in (Status.FAILED, Status.WRONG_SHAPE):
            diagnosis = self._structural(prop, failure, failures)
        if diagnosis is None and mismatch.status is Status.NOT_FINITE:
            diagnosis = prop.not_finite
        if diagnosis is None and mismatch.status is Status.ERROR and failure.error:
            diagnosis = crashes.explain(failure.error, failure.case, prop.geometry)
        return PropertyResult(
            prop.name,
            mismatch.status,
            message,
            examples,
            self._counterexample(prop, failure.case, failure.got, mismatch),
            diagnosis,
            weight=prop.weight,
        )

    @staticmethod
    def _scaled(prop: Property, failure: _Failure, failures: list[tuple[Case, Any]]) -> str | None:
        """A constant factor off on the shrunk input and on up to ten other failures (scale.py)."""
        if prop.expect is None or failure.got is None:
            return None
        seen = [(failure.case, failure.got)] + [
            (c, g) for c, g in failures if c is not failure.case and g is not None
        ][-10:]
        try:
            pairs = [(prop.expect(c), g) for c, g in seen]
        except Exception:  # a reference undefined for some case: no claim
            return None
        return scale.explain(pairs, tuple(getattr(prop.comparison, "names", ())))

    def _structural(self, prop: Property, failure: _Failure, failures: list[tuple[Case, Any]]) -> str | None:
        """What kind of error it is, and where (structure.py), on the shown failure, the most shrunk
        and the earliest others, and the explicit edge cases that fail the same way (evidence.py)."""
        if prop.expect is None or failure.got is None:
            return None
        status = failure.mismatch.status
        seen = evidence.failing((failure.case, failure.got), failures)
        worker = self.worker
        if (
            prop.explicit
            and worker is not None
            and worker.call_seconds <= _EXTRA_CALL_SECONDS * max(worker.calls, 1)
        ):
            seen += evidence.explicit_failures(prop.explicit(), lambda case: self._judged(prop, case, status))
        try:
            examples = [structure.Example(c, prop.expect(c), g) for c, g in seen]
        except Exception:  # a reference undefined for some case: no claim
            return None
        names = tuple(getattr(prop.comparison, "names", ()) or getattr(prop.comparison, "item_names", ()))
        return structure.explain(examples, names, prop.expect, prop.comparison.equivalent)

    def _judged(self, prop: Property, case: Case, status: Status) -> tuple[Any, bool] | None:
        """The student's value for an extra case, and whether it fails with `status`; None when
        the call raised or the worker failed (no evidence either way)."""
        assert self.worker is not None
        try:
            reply = self._call(prop, self.worker, case)
        except WorkerFailure:
            return None
        if not reply.ok:
            return None
        mismatch = self.judge(prop, case, reply)
        return reply.value, mismatch is not None and mismatch.status is status

    def _size_or_value(
        self, prop: Property, failure: _Failure, failures: list[tuple[Case, Any]], value: str | None
    ) -> str | None:
        """A wrong shape: the output-size formula or the whole-output misconception that explains
        more of the failing inputs (on one tiny shrunk input several agree by coincidence). A tie
        goes to the whole-output misconception, which matches the values too."""
        seen = [(failure.case, failure.got)] + [
            (c, g) for c, g in failures if c is not failure.case and g is not None
        ][-10:]
        shapes = [(c, tuple(np.shape(g))) for c, g in seen if isinstance(g, np.ndarray)]
        best: tuple[int, str] | None = None
        for text in _size_formulas(prop, failure.case, shapes[0][1] if shapes else ()):
            count = sum(text in _size_formulas(prop, c, shape) for c, shape in shapes)
            if best is None or count > best[0]:
                best = (count, text)
        if best is None:
            return value
        if value is None:
            return best[1]
        # An empty output matches any misconception of the same shape: it says nothing about values.
        explained = sum(
            any(
                m.message == value and self._predicts(prop, m, c, g, must_differ=True)
                for m in prop.misconceptions
            )
            for c, g in seen
            if not (isinstance(g, np.ndarray) and g.size == 0)
        )
        return best[1] if best[0] > explained else value

    def diagnose(self, prop: Property, case: Case, got: Any, failures: list[tuple[Case, Any]]) -> str | None:
        """The misconception that best explains what the student's code returned.

        It must reproduce the output on the shrunk case. Among those that do, the one that also
        reproduces the most other failures and contradicts the fewest passing inputs wins: two
        bugs can agree on every failing input and differ only where one of them happens to be right.
        """
        if got is None or not prop.misconceptions or prop.expect is None:
            return None
        others = [(c, g) for c, g in failures if c is not case and g is not None][-10:]
        passes = list(self._passes)[-10:]
        best: tuple[tuple[int, bool], str] | None = None
        for misconception in prop.misconceptions:
            if not self._predicts(prop, misconception, case, got, must_differ=True):
                continue
            explained = sum(self._predicts(prop, misconception, c, g, must_differ=True) for c, g in others)
            if len(others) >= 3 and explained == 0:
                continue  # matched only by coincidence on the tiny shrunk case
            contradicted = sum(
                not self._predicts(prop, misconception, c, g, must_differ=False) for c, g in passes
            )
            # On a tie, the one that reproduces every item of a tuple beats one that needs the
            # student's right items to stand in for some of its own (see _where_reproduced).
            whole = self._predicts(prop, misconception, case, got, must_differ=True, partly=False)
            score = (explained - contradicted, whole)
            if best is None or score > best[0]:
                best = (score, misconception.message)
        return best[1] if best else None

    @staticmethod
    def _predicts(
        prop: Property, misconception: Any, case: Case, got: Any, must_differ: bool, partly: bool = True
    ) -> bool:
        """Does the misconception reproduce `got`? With must_differ, it must also differ from the truth.
        With partly, a tuple is reproduced if the student's items are each the prediction's or right."""
        try:
            predicted = misconception.predict(case)
        except Exception:  # a prediction undefined for this case (e.g. impossible shape)
            return False
        if predicted is None:
            return False
        try:
            if partly:
                predicted = _where_reproduced(prop, case, predicted, got)
            if not prop.comparison.equivalent(predicted, got):
                return False
            return not must_differ or not prop.comparison.equivalent(prop.expect(case), predicted)  # type: ignore[misc]
        except Exception:
            return False

    def _counterexample(
        self, prop: Property, case: Case | None, got: Any, mismatch: Mismatch | None
    ) -> Counterexample | None:
        if case is None:
            return None
        named = case.named()
        shown = {name: _shown(value) for name, value in named.items()}
        call, reproduce = snippet(
            prop.function,
            None if is_notebook(self.path.name) else self.path.stem,  # a notebook has it defined already
            self.path.parent.name or ".",
            list(case.positional),
            list(case.keywords),
        )
        fields: dict[str, Any] = {}
        if mismatch is not None:
            fields = {
                key: getattr(mismatch, key)
                for key in (
                    "expected",
                    "got",
                    "worst_index",
                    "worst_error",
                    "expected_at_worst",
                    "got_at_worst",
                    "tolerance",
                    "expected_shape",
                    "got_shape",
                )
            }
            fields |= self._diff_values(prop, case, got, mismatch)
        return Counterexample(call=call, arguments=shown, reproduce=reproduce, **fields)

    @staticmethod
    def _diff_values(prop: Property, case: Case, got: Any, mismatch: Mismatch) -> dict[str, Any]:
        """Small arrays and the numeric tolerance, so renderers can draw expected and got side by side."""
        values: dict[str, Any] = {
            "argument_values": {
                name: v
                for name, v in ((n, small_values(a)) for n, a in case.named().items())
                if v is not None
            }
            or None,
            "got_values": small_values(got),
        }
        if mismatch.expected_array is not None and mismatch.got_array is not None:
            return values | _judged_values(mismatch)
        try:
            expected = prop.expect(case) if prop.expect else None
        except Exception:  # the reference is undefined for this case; the verdict already says why
            expected = None
        values["expected_values"] = small_values(expected)
        allowed = getattr(prop.comparison, "allowed", None)
        relative = getattr(prop.comparison, "allowed_relative", None)
        if allowed is not None and isinstance(expected, np.ndarray) and expected.size:
            reference = np.asarray(expected, dtype=np.float64)
            values["allowed_error"] = float(allowed(reference))
            # The tolerance that decided the verdict, so the diff marks the cells it failed on.
            values["allowed_relative_error"] = (float(relative(reference)) or None) if relative else None
        if (
            mismatch.status is Status.WRONG_SHAPE
            and prop.explain_shape
            and mismatch.expected_shape
            and mismatch.got_shape
        ):
            values["shape_explanation"] = (
                prop.explain_shape(case, mismatch.expected_shape, mismatch.got_shape) or None
            )
        return values


LEADING_AXIS_NAMES = {4: ("n", "c"), 3: ("c",)}


def _judged_values(mismatch: Mismatch) -> dict[str, Any]:
    """The arrays a judge compared (e.g. one LeNet stage). Too large to carry whole, a 3-D or 4-D
    pair of the same shape is cut to the 2-D slice with the largest error, and `values_slice` says which."""
    expected = np.asarray(mismatch.expected_array)
    got = mismatch.got_array
    values: dict[str, Any] = {"allowed_error": mismatch.allowed_error}
    if (
        isinstance(got, np.ndarray)
        and got.shape == expected.shape
        and expected.ndim >= 3
        and small_values(expected) is None
    ):
        index = worst_leading_index(expected, got)
        names = LEADING_AXIS_NAMES.get(expected.ndim, tuple(f"axis {i}" for i in range(expected.ndim - 2)))
        values["values_slice"] = ", ".join(f"{name}={i}" for name, i in zip(names, index))
        expected, got = expected[index], got[index]
    values["expected_values"] = small_values(expected)
    values["got_values"] = small_values(got)
    return values


_CONTINUING_VERBS = (
    "got ",
    "gave ",
    "returned ",
    "changed ",
    "raised ",
    "has ",
    "is ",
    "does ",
    "did ",
    "counts ",
)


def _continues(what: str) -> bool:
    """Does `what` read on from "conv2d in exercises/conv2d.py …" (it starts with a verb)?"""
    return what.startswith(_CONTINUING_VERBS)


def _where_reproduced(prop: Property, case: Case, predicted: Any, got: Any) -> Any:
    """A misconception about several results of a tuple (dgamma and dbeta not summed) also explains
    a student who made it in only some of them: the student's items that are right stand in for the
    prediction's, so the mistake must still show in at least one item."""
    items = getattr(prop.comparison, "items", None)
    if not (
        getattr(prop.comparison, "separable", False)
        and items
        and isinstance(predicted, tuple)
        and isinstance(got, tuple | list)
        and len(predicted) == len(got) == len(items)
        and prop.expect is not None
    ):
        return predicted
    expected = prop.expect(case)
    return tuple(
        guess if comparison.equivalent(guess, have) else right
        for comparison, guess, have, right in zip(items, predicted, got, expected)
    )


def _size_formulas(prop: Property, case: Case, got_shape: tuple) -> list[str]:
    """The output-size formulas that give `got_shape` on this case (none when it is right)."""
    if prop.geometry is None or not got_shape:
        return []
    try:
        geometry = prop.geometry(case)
    except Exception:  # a case the geometry does not describe
        return []
    return output_size.matching(geometry, tuple(got_shape))


def _series(prop: Property, value: Any) -> dict[str, list[float]] | None:
    """The property's series from a returned value, or None when the value has none to give."""
    assert prop.series is not None
    try:
        return prop.series(value)
    except Exception:  # the value is the student's: a series it cannot give is simply not drawn
        return None


def _shown(value: Any) -> str:
    """An argument as the arguments table shows it. A dict (e.g. params) is summarised by its keys
    and shapes: its values are printed once, in the reproduce snippet."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}:\n{format_value(value)}"
    if isinstance(value, dict):
        parts = [
            f"{key}: array of shape {v.shape}" if isinstance(v, np.ndarray) else f"{key}: {format_value(v)}"
            for key, v in value.items()
        ]
        return "a dict of " + str(len(parts)) + " entries (values in the snippet below):\n" + "\n".join(parts)
    return format_value(value)


def _exercise_options(exercise: Exercise, options: CheckOptions) -> CheckOptions:
    """The options with the exercise's own needs applied: an exercise that trains a model needs longer calls."""
    if exercise.call_seconds <= options.limits.call_seconds:
        return options
    # The whole-check budget grows with it: the long call on top of the usual budget for the rest.
    total = max(options.limits.total_seconds, exercise.call_seconds + options.limits.total_seconds)
    # And so does the CPU time: a training run on one thread spends its wall time on the CPU.
    cpu = max(options.limits.cpu_seconds, int(exercise.call_seconds) + options.limits.cpu_seconds)
    return replace(
        options,
        limits=replace(
            options.limits, call_seconds=exercise.call_seconds, total_seconds=total, cpu_seconds=cpu
        ),
    )


def worker_kind(exercise: Exercise, path: Path, options: CheckOptions | None = None) -> WorkerKind:
    """The worker a check of this file needs, as it can be started before the file is read."""
    options = _exercise_options(exercise, options or CheckOptions())
    return WorkerKind(
        options.limits,
        exercise.forbidden_imports(),
        exercise.allowed_imports,
        # As the snapshot names it: the absolute folder of the absolute (unresolved) path.
        Path(os.path.abspath(Path(os.path.abspath(path)).parent)),
        options.isolation,
    )


def run_check(
    exercise: Exercise, path: Path, options: CheckOptions | None = None, spare: WorkerSource | None = None
) -> CheckResult:
    """Check one student file for one exercise and return the verdict (never raises for student faults).

    With `spare`, a worker started ahead for this kind of check is used if there is one: it gets
    the snapshot read here, when the check starts, and nothing else.
    """
    options = _exercise_options(exercise, options or CheckOptions())
    started = time.perf_counter()
    # Absolute but not resolved: a link to a pipe or device must be seen as the link (snapshot refuses it).
    run = _Run(exercise, Path(os.path.abspath(path)), options)

    def finish(
        status: Status, message: str, properties: tuple = (), detail: dict | None = None
    ) -> CheckResult:
        worker = run.worker
        return CheckResult(
            exercise=exercise.id,
            status=status,
            message=message,
            file=run.file,
            properties=properties,
            output=worker.output if worker else "",
            output_truncated=bool(worker and worker.output_dropped),
            seconds=round(time.perf_counter() - started, 3),
            seed=options.seed,
            detail=detail or {},
            isolation=str(worker.isolation) if worker else "",
        )

    try:
        submission = snapshot(run.path, options.root, options.library, exercise)
    except FileNotFoundError:
        return finish(Status.MISSING_FILE, messages.MISSING_FILE.format(**run.values()))
    except UnsafeFile as error:
        template = messages.UNSAFE_NOTEBOOK if is_notebook(run.path.name) else messages.UNSAFE_FILE
        return finish(Status.UNSAFE_FILE, template.format(**run.values(reason=error.reason)))
    except OSError as error:
        return finish(Status.MISSING_FILE, messages.MISSING_FILE.format(**run.values(error=str(error))))
    run.cells = submission.cells
    problem = preflight(run.path, exercise.forbidden_imports(), submission.source)
    if problem is not None:
        values = run.values(**problem.values)
        place = submission.cells.get(submission.main, {}).get(problem.line or 0)
        if place is not None:  # a notebook: the line of its cell, not of the module built from it
            values |= {
                "line": f"{place[1]} of cell {place[0]}",
                "where": f" (cell {place[0]}, line {place[1]})",
            }
        return finish(
            problem.status,
            problem.template.format(**values),
            detail={"line": problem.line} if problem.line else {},
        )

    # A worker started ahead has NumPy imported already; it is given this snapshot and nothing else.
    ahead = spare.take(worker_kind(exercise, run.path, options)) if spare is not None else None
    if ahead is not None:
        try:
            run.worker = ahead.submit(submission)
        except ValueError:  # not the folder it shows after all: it runs nothing
            ahead.stop()
    if run.worker is None:
        # Start the worker first: its NumPy import overlaps with ours of torch and hypothesis.
        run.worker = Worker(
            options.limits,
            exercise.forbidden_imports(),
            submission=submission,
            provided=exercise.allowed_imports,
            isolation=options.isolation,
        ).start()
    try:
        check = load_check(exercise)
        loaded = run.load()
        if loaded is not None:
            status, text, detail = loaded
            run.worker.stop()
            return finish(status, text, detail=detail)
        results: list[PropertyResult] = []
        stopped: PropertyResult | None = None
        for prop in check.properties:
            if stopped is not None:
                results.append(
                    PropertyResult(
                        prop.name, stopped.status, "not run: " + stopped.message, 0, weight=prop.weight
                    )
                )
                continue
            result = prop_result = run.run_property(prop)
            results.append(result)
            if prop_result.status in (
                Status.TIMEOUT,
                Status.CRASHED,
                Status.EXITED,
                Status.CPU,
                Status.TAMPERED,
                Status.MEMORY,
                Status.FORBIDDEN_IMPORT,
            ):
                stopped = prop_result
        loaded_forbidden = run.worker.loaded_forbidden_libraries()
    finally:
        run.worker.stop()

    if loaded_forbidden:
        text = messages.FORBIDDEN_LIBRARY_LOADED.format(**run.values(module=loaded_forbidden[0]))
        return finish(Status.FORBIDDEN_IMPORT, text, tuple(results))
    failed = next((r for r in results if not r.passed), None)
    if failed is None:
        examples = sum(r.examples for r in results)
        functions = exercise.functions
        text = messages.PASSED.format(
            **run.values(examples=examples, agree="agrees" if len(functions) == 1 else "agree")
        )
        return finish(Status.PASSED, text, tuple(results))
    return finish(failed.status, failed.message, tuple(results))


def _display(path: Path) -> str:
    """The path as the student would type it: relative to the current directory when possible."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)

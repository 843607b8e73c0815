#!/usr/bin/env bash
# Create or update the project's virtual environment in .venv (idempotent).
#   scripts/bootstrap.sh          runtime dependencies (what `confuguard` needs)
#   scripts/bootstrap.sh test     + test tools and the reference encoder (sentence-transformers, CPU torch)
set -euo pipefail
cd "$(dirname "$0")/.."
want="${1:-runtime}"
py="${PYTHON:-python3.11}"
command -v "$py" >/dev/null 2>&1 || py=python3
log=".venv-bootstrap.log"
quiet() {  # run quietly; on failure show the end of the log and stop
  "$@" >>"$log" 2>&1 || { echo "bootstrap failed: $*  (last lines of $log:)" >&2; tail -n 25 "$log" >&2; exit 1; }
}
if [ ! -x .venv/bin/python ]; then
  echo "creating .venv (first run only)..." >&2
  quiet "$py" -m venv .venv
  quiet .venv/bin/python -m pip install --upgrade pip
fi
stamp=".venv/.confuguard-$want-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "installing confuguard ($want) into .venv..." >&2
  if [ "$want" = "test" ]; then
    # CPU build of torch first, or sentence-transformers pulls several GB of CUDA packages.
    quiet .venv/bin/python -m pip install "torch==2.13.0"
    quiet .venv/bin/python -m pip install -e ".[test,index]"
  else
    quiet .venv/bin/python -m pip install -e .
  fi
  touch "$stamp"
fi

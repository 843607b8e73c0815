#!/usr/bin/env bash
# Create or update the project's virtual environment in .venv (idempotent).
#   scripts/bootstrap.sh          runtime dependencies (what `confuguard` needs)
#   scripts/bootstrap.sh test     + test tools and the reference encoder (sentence-transformers, CPU torch)
set -euo pipefail
cd "$(dirname "$0")/.."
want="${1:-runtime}"
py="${PYTHON:-python3.11}"
command -v "$py" >/dev/null 2>&1 || py=python3
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
stamp=".venv/.confuguard-$want-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  if [ "$want" = "test" ]; then
    # CPU build of torch first, or sentence-transformers pulls several GB of CUDA packages.
    .venv/bin/python -m pip install -q "torch==2.13.0"
    .venv/bin/python -m pip install -q -e ".[test,index]"
  else
    .venv/bin/python -m pip install -q -e .
  fi
  touch "$stamp"
fi

#!/usr/bin/env bash
# Reproduce the shipped threat model (models/threat) in one command:
#   scripts/train_default.sh [EVAL_DIR] [PACKAGES_DIR]
# 1. imports the PyPI and npm snapshots into a scratch store (offline metadata),
# 2. samples presumed-benign ordinary names (seed 1000, 8000 per registry) with the engine's candidates,
# 3. samples ordinary *new* packages of the lists as published (name, version, summary; the training
#    half of the names, seed 1000, 8000 per registry) with the engine's candidates,
# 4. trains on ConfuDB dev + NeupaneDB (both files) + the ordinary sample + the publication records of
#    real attacks (EVAL/publication/*.jsonl, judged as uploaded) + the published ordinary sample,
#    GroupKFold(5) by attack campaign else target, campaigns weighted equally, threshold 0.52, and
#    writes models/threat/{weights,manifest}.json (building the summary word table in the cache
#    first if this machine never built it).
set -euo pipefail
cd "$(dirname "$0")/.."
EVAL=${1:-../shared/eval}
PKGS=${2:-/work/.library/env/packages}
WORK=${CONFUGUARD_TRAIN_DIR:-$(mktemp -d)}
PY=${PYTHON:-.venv/bin/python}
DB="$WORK/store.db"
if [ ! -s "$DB" ]; then
  # import into a scratch file and move it into place only when both imports worked, so a failed
  # import is never mistaken for a finished store by the next run
  rm -f "$DB.partial"
  for reg in npm pypi; do
    "$PY" -m confuguard.cli db import-snapshot --registry "$reg" --db "$DB.partial" "$PKGS/$reg.tsv"
  done
  mv "$DB.partial" "$DB"
fi
"$PY" scripts/sample_ordinary.py --db "$DB" --per-registry 8000 --seed 1000 "$WORK/ordinary.csv"
if [ ! -s "$WORK/published.csv" ]; then
  "$PY" scripts/sample_ordinary.py --published "$PKGS" --per-registry 8000 --seed 1000 "$WORK/published.csv.partial"
  mv "$WORK/published.csv.partial" "$WORK/published.csv"
fi
"$PY" -m confuguard.cli train "$EVAL/confudb_dev.csv" "$EVAL/NeupaneDB_no_malware.csv" \
  "$EVAL/NeupaneDB_real_malware.csv" "$WORK/ordinary.csv" "$EVAL/publication/pypi_attacks_dev.jsonl" \
  "$EVAL/publication/npm_attacks_dev.jsonl" "$WORK/published.csv" --db "$DB" --threshold 0.52 --C 0.5 --folds 5

"""`confuguard train FILE... [--db PATH] [--out DIR]`: fit the threat classifier on labelled CSVs."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from confuguard.errors import ExitCode


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `train` subcommand."""
    p = sub.add_parser("train", help="train the threat classifier from labelled CSVs",
                       description="Train the benign/threat classifier on labelled pairs (ConfuDB, NeupaneDB or "
                                   "analyst-alert CSVs) joined to metadata in the local store; cross-validate by "
                                   "target package; write weights and manifest (no pickle).")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="labelled CSV files, publication records (*.jsonl) and published-package CSVs")
    p.add_argument("--as-of", choices=["now", "publication"], default="now",
                   help="publication: judge every suspect as on its upload day (name, version, summary; no store "
                        "record, survival or downloads); folds by attack campaign")
    p.add_argument("--db", type=Path, default=None, help="local store with metadata (default: user data dir)")
    p.add_argument("--no-metadata", action="store_true", help="train on name-level signals only (ignore the store)")
    p.add_argument("-o", "--out", type=Path, default=None, help="model folder to write (default: the shipped models/threat)")
    p.add_argument("--folds", type=int, default=5, help="grouped cross-validation folds (default 5)")
    p.add_argument("--C", type=float, default=0.5, help="inverse L2 regularisation strength (default 0.5)")
    p.add_argument("--threshold", type=float, default=None, help="decision threshold on the calibrated probability")
    p.add_argument("-f", "--format", choices=["text", "json"], default="text")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    """Train and report cross-validated figures."""
    from confuguard.extras import require

    require("train", "train")
    from confuguard import training
    from confuguard.classifier import default_model_dir
    from confuguard.errors import InputError
    from confuguard.store import Store

    if args.folds < 2:
        raise InputError("--folds must be at least 2")
    out = args.out or default_model_dir()
    threshold = training.DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    store = None if args.no_metadata else Store.open(args.db)
    try:
        manifest = training.train(args.files, store, out, folds=args.folds, C=args.C, threshold=threshold,
                                  as_of=args.as_of)
    finally:
        if store is not None:
            store.close()
    if args.format == "json":
        json.dump(manifest, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return ExitCode.OK
    cv = manifest["cross_validation"]
    print(f"model written to {out} ({manifest['counts']['pairs']} pairs, {manifest['counts']['target_groups']} target groups)")
    print(f"out-of-fold at threshold {threshold}: " + _line(cv["overall"]) + f"  brier {cv['brier']}")
    for f, m in cv["per_file"].items():
        print(f"  {f}: " + _line(m))
    return ExitCode.OK


def _line(m: dict[str, float | None]) -> str:
    def f(v: float | None) -> str:
        return "-" if v is None else f"{v:.3f}"

    return (f"P {f(m['precision'])} R {f(m['recall'])} F1 {f(m['f1'])} acc {f(m['accuracy'])} FPR {f(m['fpr'])} "
            f"(tp {m['tp']} fp {m['fp']} tn {m['tn']} fn {m['fn']})")

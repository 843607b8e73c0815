"""`confuguard eval FILE... [--format json] [--db PATH] [--targets labelled|engine]`: measure the shipped classifier."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from confuguard.errors import ExitCode


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `eval` subcommand."""
    p = sub.add_parser(
        "eval", help="measure the threat classifier on labelled CSVs",
        description="Precision, recall, F1, accuracy, false-positive rate and the confusion matrix of the threat "
                    "class (overall and per registry) on ConfuDB / NeupaneDB / analyst-alert CSVs, with the shipped "
                    "model and the metadata of the local store. --targets labelled (default) judges each row's "
                    "labelled (suspect, target) pair; --targets engine judges the engine's own candidates for the "
                    "name, a name with no candidate counting as benign.")
    p.add_argument("files", nargs="+", metavar="FILE", help="labelled CSV files or publication records (*.jsonl)")
    p.add_argument("--as-of", choices=["now", "publication"], default="now",
                   help="publication: judge suspects as on their upload day (name, version, summary only)")
    p.add_argument("--db", type=Path, default=None, help="local store with metadata (default: user data dir)")
    p.add_argument("--no-metadata", action="store_true", help="judge on name-level evidence only")
    p.add_argument("--targets", choices=["labelled", "engine"], default="labelled",
                   help="pairs to judge: the row's labelled target, or the engine's candidates")
    p.add_argument("--model", type=Path, default=None, help="model folder (default: the shipped one)")
    p.add_argument("--threshold", type=float, default=None, help="override the model's decision threshold")
    p.add_argument("--no-embeddings", action="store_true", help="engine mode: skip the embedding generator")
    p.add_argument("-f", "--format", choices=["text", "json"], default="text")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    """Evaluate each file and print the figures."""
    from confuguard.classifier import Judge, ThreatModel
    from confuguard.errors import InputError
    from confuguard.evaluation import evaluate_file
    from confuguard.store import Store

    if args.threshold is not None and not 0.0 < args.threshold < 1.0:
        raise InputError("--threshold must be between 0 and 1")
    model = ThreatModel.load(args.model)
    store = None if args.no_metadata else Store.open(args.db)
    try:
        judge = Judge(model, store=store, threshold=args.threshold)
        engine = None
        if args.targets == "engine":
            from confuguard.engine import Engine

            engine = Engine(judge=judge, encoder=None) if args.no_embeddings else Engine(judge=judge)
        results = [evaluate_file(f, judge, targets=args.targets, engine=engine, as_of=args.as_of) for f in args.files]
    finally:
        if store is not None:
            store.close()
    meta = "none" if store is None else str(store.path or ":memory:")
    if args.format == "json":
        json.dump({"model": model.manifest.get("version"), "metadata": meta, "results": results}, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return ExitCode.OK
    how = ("labelled target of each row (rows without one: engine candidates)" if args.targets == "labelled"
           else "engine candidates (no candidate = predicted benign)")
    print(f"model {model.manifest.get('version')} threshold {judge.threshold}; pairs: {how}; metadata: {meta}"
          + ("; as of publication" if args.as_of == "publication" else ""))
    for r in results:
        skipped = ", ".join(f"{n} {k}" for k, n in r["skipped"].items()) or "none"
        print(f"\n{r['file']} ({r['format']}; skipped: {skipped})")
        print(_row("overall", r["overall"]))
        for eco, m in r["per_registry"].items():
            print(_row(f"  {eco}", m))
    return ExitCode.OK


def _row(label: str, m: dict[str, float | None]) -> str:
    def f(v: float | None) -> str:
        return "    -" if v is None else f"{v:.3f}"

    return (f"{label:12s} n {m['n']:5d}  P {f(m['precision'])}  R {f(m['recall'])}  F1 {f(m['f1'])}  "
            f"acc {f(m['accuracy'])}  FPR {f(m['fpr'])}  [tp {m['tp']} fp {m['fp']} tn {m['tn']} fn {m['fn']}]")

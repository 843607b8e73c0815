"""Cost of judging one (suspect, target) pair, beyond the metadata lookup, against two baselines in-process.

    .venv/bin/python bench/classifier.py [--pairs 2000]

Baselines: the rule "every candidate is suspicious" (the engine without a judge), and
ConfuGuard's hand-set weights of §3.6 recomputed on our signals (name adversarial +8,
no README/summary +3, incomplete metadata +2, maintainer overlap -18, test package -5;
alert iff score >= 5). Metadata is fetched once up front; only the judging is timed.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from confuguard import names  # noqa: E402
from confuguard import signals as sig  # noqa: E402
from confuguard.classifier import Judge  # noqa: E402
from confuguard.types import Candidate, Category, Ecosystem, Finding, PackageMetadata, Verdict  # noqa: E402


def _pairs(n: int) -> list[tuple]:
    eco = Ecosystem.NPM
    out = []
    for i in range(n):
        s = names.parse(f"lodahs{i}", eco)
        t = names.parse("lodash", eco)
        sm = PackageMetadata(s, "live", summary=f"utility functions number {i}", maintainers=(f"u{i}",),
                             downloads=100 + i, downloads_window="last-month", latest_version="1.0.0",
                             created=datetime(2025, 1, 1, tzinfo=UTC), version_count=3,
                             repository_url=f"https://github.com/u{i}/lodahs{i}", readme="x" * 500, readme_length=500,
                             authors=f"Dev {i} <dev{i}@example.org>", install_scripts=i % 7 == 0)
        tm = PackageMetadata(t, "live", summary="Lodash modular utilities.", maintainers=("jdalton",),
                             downloads=50_000_000, downloads_window="last-month", repository_url="https://github.com/lodash/lodash",
                             authors="John-David Dalton <john.david.dalton@gmail.com>")
        c = Candidate(t, 145, (Finding(Category.TYPO, "x"),), 0.92, 1 + i % 3, None, frozenset({"edit"}))
        out.append((s, c, sm if i % 4 else None, tm))
    return out


def all_suspicious(s, c, sm, tm) -> Candidate:
    return dataclasses.replace(c, verdict=Verdict.SUSPICIOUS)


def confuguard_weights(s, c, sm, tm) -> Candidate:
    signals = {x.name: x for x in sig.compute(sig.Pair(s, c, sm, tm))}
    score = 8 if c.findings else 0
    if (signals["summary_empty"].value or 0) > 0 or (signals["readme_length"].value == 0):
        score += 3
    known = sum(1 for k in ("repository_present", "maintainer_overlap", "summary_empty") if signals[k].known)
    score += 2 if known < 3 else 0
    score -= 18 if signals["maintainer_overlap"].value == 1.0 else 0
    score -= 5 if signals["placeholder_text"].value == 1.0 else 0
    return dataclasses.replace(c, verdict=Verdict.SUSPICIOUS if max(0, min(10, score)) >= 5 else Verdict.BENIGN)


def timed(fn, pairs, repeat: int) -> float:
    best = []
    for _ in range(repeat):
        t = time.perf_counter()
        for p in pairs:
            fn(*p)
        best.append((time.perf_counter() - t) / len(pairs))
    return statistics.median(best)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    judge = Judge.default(now=datetime(2026, 1, 1, tzinfo=UTC))
    pairs = _pairs(args.pairs)
    judge.judge_one(*pairs[0])  # warm caches
    t_model = timed(judge.judge_one, pairs, args.repeat)
    t_all = timed(all_suspicious, pairs, args.repeat)
    t_cg = timed(confuguard_weights, pairs, args.repeat)
    print(f"pairs {args.pairs}, median of {args.repeat} runs, per pair:")
    print(f"  classifier (signals + model + reasons)  {t_model * 1e6:8.1f} us   budget 1000 us  {'OK' if t_model < 1e-3 else 'OVER'}")
    print(f"  baseline: every candidate suspicious     {t_all * 1e6:8.1f} us   ratio {t_model / t_all:6.1f}x")
    print(f"  baseline: ConfuGuard hand weights        {t_cg * 1e6:8.1f} us   ratio {t_model / t_cg:6.1f}x")
    return 0 if t_model < 1e-3 else 1


if __name__ == "__main__":
    sys.exit(main())

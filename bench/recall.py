"""Benchmark (a): recall on NeupaneDB real attacks, per registry.

Share of rows whose true target is among the top-3 candidates (over all rows, and over rows
whose target is in the bundled list), how many true targets are missing from the lists, and
the same for the GuardDog-style baseline run in the same process. Rows with no target (`nan`)
or whose target is the suspect itself are counted apart, not scored: no name can be found
imitating an unknown package or itself.

    .venv/bin/python bench/recall.py
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict

from _common import Baseline, neupane_rows

from confuguard import corpus, names
from confuguard.engine import Engine
from confuguard.errors import InputError

#: NeupaneDB is a pandas export: `nan` is its mark of an unknown target (`DiscordSafety,nan`).
NO_TARGET = frozenset({"", "nan"})


def main() -> None:
    rows = neupane_rows()
    engine = Engine(encoder=None) if "--no-embeddings" in sys.argv else Engine()
    stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for eco in sorted({r[0] for r in rows}, key=lambda e: e.value):
        c = corpus.load(eco)
        keys = {t.key for t in c.targets}
        base = Baseline(c)
        mine = [r for r in rows if r[0] is eco]
        start = time.perf_counter()
        results = engine.check_names([s for _, s, _ in mine], eco)
        elapsed = time.perf_counter() - start
        s = stats[eco.value]
        for (_, suspect, target), res in zip(mine, results):
            try:
                tkey = names.key(names.parse(target, eco))
            except InputError:
                s["target_unparseable"] += 1
                continue
            if target in NO_TARGET:
                s["no_target"] += 1
                continue
            if res.package is not None and names.key(res.package) == tkey:
                s["same_package"] += 1
                continue
            s["rows"] += 1
            bundled = tkey in keys
            s["bundled"] += bundled
            s["missing"] += not bundled
            top3 = {names.key(c_.target) for c_ in res.candidates[:3]}
            hit = tkey in top3
            s["hit"] += hit
            s["hit_bundled"] += hit and bundled
            s["flagged"] += res.verdict.value == "suspicious"
            s["popular_suspect"] += res.verdict.value == "popular"
            bhit = any(names.key(names.parse(t, eco)) == tkey for t in base.check(suspect, eco))
            s["base_hit"] += bhit
            s["base_hit_bundled"] += bhit and bundled
        s["ms_per_name"] = int(elapsed / max(len(mine), 1) * 1000 * 1000)  # microseconds
    print(f"{'registry':10} {'rows':>5} {'bundled':>8} {'missing':>8} {'top3 all':>9} {'top3 bundled':>13} "
          f"{'baseline bundled':>17} {'ratio':>6} {'us/name':>8}")
    for eco, s in stats.items():
        r_b = s["hit_bundled"] / max(s["bundled"], 1)
        b_b = s["base_hit_bundled"] / max(s["bundled"], 1)
        print(f"{eco:10} {s['rows']:5} {s['bundled']:8} {s['missing']:8} {s['hit'] / max(s['rows'], 1):9.3f} "
              f"{r_b:13.3f} {b_b:17.3f} {r_b / max(b_b, 1e-9):6.2f} {s['ms_per_name']:8}")
        if s["popular_suspect"]:
            print(f"  note: {s['popular_suspect']} {eco} suspects are themselves in the bundled popular list")
        if s["no_target"] or s["same_package"]:
            print(f"  not scored: {s['no_target']} {eco} rows with no target (`nan`), "
                  f"{s['same_package']} naming the suspect itself as its target")
    tot = {k: sum(s[k] for s in stats.values()) for k in ("rows", "bundled", "hit", "hit_bundled", "base_hit_bundled")}
    print(f"{'all':10} {tot['rows']:5} {tot['bundled']:8} {tot['rows'] - tot['bundled']:8} "
          f"{tot['hit'] / tot['rows']:9.3f} {tot['hit_bundled'] / tot['bundled']:13.3f} "
          f"{tot['base_hit_bundled'] / tot['bundled']:17.3f}")


if __name__ == "__main__":
    main()

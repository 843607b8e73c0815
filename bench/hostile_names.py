"""Benchmark: the cost of one hostile name, per registry and shape, against an ordinary name's.

Each shape is built at run time just under the registry's length cap (`names.MAX_LENGTH`) or
just over it (over-long names must be refused as `invalid` at once). Every name is checked
alone through `Engine.check_name` (embeddings and the shipped classifier on, no metadata store),
`--reps` times (median and slowest wall time, median CPU time), and the peak of memory allocated during
the check (tracemalloc), against the same figures for an ordinary name of the registry run in
the same process. Goal: every shape <= 50 ms and <= 50 MB.

    .venv/bin/python bench/hostile_names.py [--registry R ...] [--reps 5]
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable

from confuguard import names
from confuguard.classifier import Judge
from confuguard.engine import Engine
from confuguard.types import Ecosystem

E = Ecosystem
GOAL_MS, GOAL_MB = 50.0, 50.0


def fill(unit: str, length: int, sep: str = "") -> str:
    """`unit` repeated (joined by `sep`) up to at most `length` characters, ending on a whole unit."""
    out = unit
    while len(out) + len(sep) + len(unit) <= length:
        out += sep + unit
    return out


def words(length: int, sep: str = "-", seed: int = 1) -> str:
    """Popular-looking words (package-name vocabulary) joined by `sep`, up to `length` characters."""
    vocab = ["react", "django", "requests", "numpy", "lodash", "express", "flask", "core", "utils", "plugin",
             "eslint", "config", "types", "node", "python", "client", "api", "sdk", "spring", "boot", "redis",
             "json", "http", "cli", "test", "data", "log", "aws", "google", "cloud", "azure", "vue", "babel"]
    rng = random.Random(seed)
    out = rng.choice(vocab)
    while True:
        w = rng.choice(vocab)
        if len(out) + len(sep) + len(w) > length:
            return out
        out += sep + w


def tiny(length: int, sep: str = "-", seed: int = 2) -> str:
    """Many one- and two-letter words."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = rng.choice(letters)
    while len(out) + 3 <= length:
        out += sep + "".join(rng.choice(letters) for _ in range(rng.randint(1, 2)))
    return out


def glued(length: int, seed: int = 3) -> str:
    """English-looking words glued without separators (word segmentation at its most expensive)."""
    return words(length, sep="", seed=seed)


def shapes(eco: Ecosystem) -> dict[str, str]:
    """Adversarial names for `eco`, each near the registry's cap, plus one just over it."""
    cap = names.MAX_LENGTH[eco]
    if eco is E.NPM:
        n = cap - 10
        return {
            "ab-ab-ab": fill("ab", cap, "-"), "a.a.a": fill("a", cap, "."), "one long word": "a" * cap,
            "rnrn (fold)": fill("rn", cap), "many tiny words": tiny(cap), "popular words": words(cap),
            "glued words": glued(cap), "@scope/ab-ab": "@" + fill("ab", 60, "-") + "/" + fill("ab", n - 62, "-"),
            "@popular/popular": "@" + words(60, seed=5) + "/" + words(n - 62, seed=6),
            "over the cap": "a" * (cap + 1), "100 KB": fill("ab", 100_000, "-"),
        }
    if eco is E.MAVEN:
        part = names.MAVEN_PART_MAX
        return {
            "g:a ab-ab": fill("ab", part, ".") + ":" + fill("ab", part, "-"),
            "g:a a.a / a-a": fill("a", part, ".") + ":" + fill("a", part, "-"),
            "g:a popular words": words(part, ".", seed=7) + ":" + words(part, seed=8),
            "g:a one long word": "a" * part + ":" + "b" * part,
            "g:a glued": glued(part, seed=9) + ":" + glued(part, seed=10),
            "over the cap": "a" * (part + 1) + ":b", "100 KB": fill("ab", 100_000, ".") + ":x",
        }
    if eco is E.GOLANG:
        return {
            "github ab-ab": "github.com/" + fill("ab", 200, "-") + "/" + fill("ab", names.GO_ELEM_MAX, "-"),
            "many segments": "example.com/" + fill("a", cap - 12, "/"),
            "vanity ab/ab": "go.example.org/" + fill("ab-ab", cap - 15, "/"),
            "github popular words": "github.com/" + words(200, seed=11) + "/" + words(names.GO_ELEM_MAX, seed=12),
            "one long element": "github.com/o/" + "a" * names.GO_ELEM_MAX,
            "over the cap": "github.com/o/" + "a" * (names.GO_ELEM_MAX + 1), "100 KB": "github.com/" + fill("a", 100_000, "/"),
        }
    if eco is E.HUGGINGFACE:
        part = names.HF_PART_MAX
        return {
            "author/model ab-ab": fill("ab", part, "-") + "/" + fill("ab", part, "-"),
            "author/model a.a": fill("a", part, "_") + "/" + fill("a", part, "."),
            "author/model popular words": words(part, seed=13) + "/" + words(part, seed=14),
            "model one long word": "a" * part, "glued": glued(part, seed=15) + "/" + glued(part, seed=16),
            "over the cap": "a" * (part + 1), "100 KB": fill("ab", 100_000, "-"),
        }
    return {  # PyPI, RubyGems: one name, no namespace
        "ab-ab-ab": fill("ab", cap, "-"), "a.a.a": fill("a", cap, "."), "a_a_a": fill("a", cap, "_"),
        "one long word": "a" * cap, "rnrn (fold)": fill("rn", cap), "many tiny words": tiny(cap),
        "popular words": words(cap), "popular words, dots": words(cap, "."), "glued words": glued(cap),
        "digits": fill("1", cap, "-"), "over the cap": "a" * (cap + 1), "100 KB": fill("ab", 100_000, "-"),
    }


#: Shapes every registry gets: look-alike characters (judged through their ASCII skeleton), a
#: 1 MB name.
def unicode_shapes(eco: Ecosystem) -> dict[str, str]:
    """Confusable-heavy names (Cyrillic look-alikes of a popular name, repeated) and a huge one."""
    base = {E.NPM: "lodash", E.PYPI: "requests", E.RUBYGEMS: "rails", E.MAVEN: "com.google.guava:guava",
            E.GOLANG: "github.com/gin-gonic/gin", E.HUGGINGFACE: "meta-llama/Llama-3.1-8B"}[eco]
    cyr = base.replace("a", "\u0430").replace("e", "\u0435").replace("o", "\u043e")
    cap = names.MAX_LENGTH[eco]
    long_cyr = fill("\u0430b\u0441", cap - 20, "-")
    if eco is E.MAVEN:
        long_cyr = "com.example:" + fill("\u0430b", 200, "-")
    elif eco is E.GOLANG:
        long_cyr = "github.com/o/" + fill("\u0430b", 200, "-")
    elif eco is E.HUGGINGFACE:
        long_cyr = "author/" + fill("\u0430b", 90, "-")
    return {"cyrillic look-alike": cyr, "long cyrillic": long_cyr, "1 MB unicode": "\u0430" * 1_000_000}


ORDINARY = {E.NPM: "lodahs", E.PYPI: "reqeusts", E.RUBYGEMS: "railz", E.MAVEN: "com.google.guava:guavaa",
            E.GOLANG: "github.com/gin-gonic/gim", E.HUGGINGFACE: "meta-llamma/Llama-3.1-8B"}


def measure(fn: Callable[[], object], reps: int) -> tuple[float, float, float, float]:
    """(median wall ms, slowest wall ms, median CPU ms, peak traced allocation in MB) of `fn` over `reps` runs.

    CPU time is what the name costs this process; wall time adds whatever else the machine runs.
    """
    walls, cpus = [], []
    for _ in range(reps):
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(walls), max(walls), statistics.median(cpus), peak / 2**20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--registry", action="append", choices=[e.value for e in E])
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    ecos = [E(r) for r in args.registry] if args.registry else list(E)
    engine = Engine(judge=Judge.default(store=None))
    engine.warm(ecos)
    worst = [0.0, 0.0, 0.0, 0.0]
    print(f"{'registry':<12} {'shape':<28} {'chars':>9} {'verdict':<10} {'median ms':>9} {'max ms':>8} "
          f"{'cpu ms':>7} {'peak MB':>8} {'x ordinary':>10}")
    for eco in ecos:
        ordinary = ORDINARY[eco]
        for _ in range(3):
            engine.check_name(ordinary, eco)  # warm caches
        base = measure(lambda: engine.check_name(ordinary, eco), max(args.reps, 9))
        rows = [("ordinary: " + ordinary[:18], ordinary, base)]
        for label, text in {**shapes(eco), **unicode_shapes(eco)}.items():
            engine.check_name(text, eco)
            rows.append((label, text, measure(lambda t=text: engine.check_name(t, eco), args.reps)))
        for label, text, m in rows:
            verdict = engine.check_name(text, eco).verdict.value
            if not label.startswith("ordinary"):
                worst = [max(w, x) for w, x in zip(worst, m)]
            print(f"{eco.value:<12} {label:<28} {len(text):>9,} {verdict:<10} {m[0]:>9.2f} {m[1]:>8.2f} "
                  f"{m[2]:>7.2f} {m[3]:>8.2f} {m[2] / base[2]:>10.1f}")
    ok = worst[0] <= GOAL_MS and worst[3] <= GOAL_MB
    print(f"worst hostile name: median {worst[0]:.1f} ms wall (max {worst[1]:.1f} ms), {worst[2]:.1f} ms CPU, "
          f"{worst[3]:.1f} MB peak allocation (goal <= {GOAL_MS:.0f} ms, <= {GOAL_MB:.0f} MB): {'met' if ok else 'MISSED'}; "
          f"'x ordinary' is the CPU time against the ordinary name's of the same registry")


if __name__ == "__main__":
    main()

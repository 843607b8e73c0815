"""Benchmark: `confuguard serve` under load, single checks over loopback HTTP.

Starts `confuguard serve --port 0 -r pypi` as a subprocess, waits for /readyz, then this
process (the second one) sends a bounded closed loop of `POST /v1/check` requests from a few
threads, each with its own keep-alive httpx client. Names: ordinary PyPI names from the
package list (generated ones when the list is absent) mixed with one-edit typos of the
bundled popular targets (data/popular/pypi.tsv), about half and half.

Printed: checks/s, p50/p90/p99 latency (client side, whole request), errors, the verdict
mix; and two baselines measured in the same run:
  * `/healthz` through the same client and server (framework + client overhead),
  * the engine called directly in this process, one name at a time (no HTTP).
The server's own view (mean engine time and mean request time per check, from /metrics)
is printed next to the client's.

Fairness (`--hostile N`, default 3): the check phase is run again while N more clients each
send 2 KB-name checks in a closed loop (a name of ~2,100 characters costs the engine hundreds of
milliseconds where an ordinary one costs a few), first against the server as configured (heavy
requests get their own engine slot), then against a server whose lanes are switched off
(`--heavy-cost` too high for any request, `--slots 64`: every request shares one pool, as before
the lanes). Printed: ordinary checks/s in each case and its ratio to the quiet phase, and how
the slow requests fared (answered, refused with 429/503/504). The machine's load average is printed before and after:
the bench shares the cores with its own client and with whatever else runs.

`--client wrk` (or `auto`, the default, when `wrk` is on PATH; Debian: `apt-get install wrk`)
drives the same requests with wrk and a Lua script cycling through the names instead of
Python threads: much less client CPU on the same cores; wrk runs for --seconds (no count).

    .venv/bin/python bench/service_load.py [--requests 5000] [--seconds 30] [--threads 4]
                                           [--client auto|httpx|wrk] [--no-embeddings] [--json]

Bounded: httpx phases stop at --requests requests or --seconds seconds, wrk phases at
--seconds; the server is stopped (SIGTERM, then SIGKILL) whatever happens.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PACKAGES  # noqa: E402

from confuguard import corpus, names  # noqa: E402
from confuguard.errors import InputError  # noqa: E402
from confuguard.types import Ecosystem  # noqa: E402

ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def pct(values: list[float], p: float) -> float:
    """Percentile of `values` (nearest rank)."""
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else float("nan")


def typo(name: str, rng: random.Random) -> str:
    """One edit of `name`: swap, drop, double or replace a letter."""
    i = rng.randrange(len(name))
    kind = rng.choice("sddr" if len(name) > 3 else "dr")
    if kind == "s" and i < len(name) - 1:
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    if kind == "d" and len(name) > 3:
        return name[:i] + name[i + 1:]
    if kind == "r":
        return name[:i] + rng.choice(ALPHABET) + name[i + 1:]
    return name[:i] + name[i] + name[i:]


def sample_names(n: int, seed: int = 11) -> list[str]:
    """About half ordinary names (not targets), half typos of the top 2000 PyPI targets, shuffled."""
    rng = random.Random(seed)
    c = corpus.load(Ecosystem.PYPI)
    keys = {t.key for t in c.targets}
    typos = [typo(t.package.name, rng) for t in rng.choices(c.targets[:2000], k=n // 2)]
    ordinary: list[str] = []
    listing = PACKAGES / "pypi.tsv"
    if listing.exists():
        with listing.open(encoding="utf-8", errors="replace") as fh:
            next(fh)
            pool = [ln.split("\t", 1)[0] for ln in fh if ln.strip()]
        rng.shuffle(pool)
        for name in pool:
            try:
                if names.key(names.parse(name, Ecosystem.PYPI)) not in keys:
                    ordinary.append(name)
            except InputError:
                continue
            if len(ordinary) >= n - len(typos):
                break
    while len(ordinary) < n - len(typos):  # no package list: made-up internal-looking names
        ordinary.append(f"{rng.choice(['acme', 'zq', 'corp', 'int'])}-{''.join(rng.choices(ALPHABET, k=7))}-{rng.choice(['tools', 'client', 'utils', 'sdk'])}")
    out = typos + ordinary
    rng.shuffle(out)
    return out


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


class Server:
    """`confuguard serve` in a subprocess on 127.0.0.1:<free port>."""

    def __init__(self, extra: list[str]) -> None:
        cmd = [sys.executable, "-m", "confuguard.cli", "serve", "--port", "0", "-r", "pypi", *extra]
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
        assert self.proc.stderr is not None
        line = self.proc.stderr.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if not m:
            self.stop()
            sys.exit(f"server did not start: {line.strip()}")
        self.url = f"http://127.0.0.1:{m.group(1)}"
        self.log: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.log.append(line.rstrip())

    def wait_ready(self, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        with httpx.Client(base_url=self.url, timeout=5) as c:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    sys.exit("server exited: " + " | ".join(self.log[-5:]))
                try:
                    if c.get("/readyz").status_code == 200:
                        return time.perf_counter() - self.started
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        self.stop()
        sys.exit(f"server not ready within {timeout:.0f} s")

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def run_load(url: str, jobs: list[tuple[str, dict[str, str] | None]], threads: int, seconds: float) -> dict[str, object]:
    """Send `jobs` ((path, JSON body or None for GET)) from `threads` threads, closed loop, at most `seconds`."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    statuses: list[Counter] = [Counter() for _ in range(threads)]
    verdicts: list[Counter] = [Counter() for _ in range(threads)]
    deadline = time.monotonic() + seconds
    next_job = iter(range(len(jobs)))
    lock = threading.Lock()

    def worker(k: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as c:
            while time.monotonic() < deadline:
                with lock:
                    i = next(next_job, None)
                if i is None:
                    return
                path, body = jobs[i]
                t0 = time.perf_counter()
                try:
                    r = c.post(path, json=body) if body is not None else c.get(path)
                except httpx.HTTPError as exc:
                    statuses[k][type(exc).__name__] += 1
                    continue
                latencies[k].append(time.perf_counter() - t0)
                statuses[k][r.status_code] += 1
                if body is not None and r.status_code == 200:
                    verdicts[k][r.json()["verdict"]] += 1

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    t0 = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - t0
    lat = [x for part in latencies for x in part]
    return {
        "requests": len(lat), "seconds": round(wall, 3), "rps": round(len(lat) / wall, 1),
        "p50_ms": round(pct(lat, 50) * 1000, 2), "p90_ms": round(pct(lat, 90) * 1000, 2),
        "p99_ms": round(pct(lat, 99) * 1000, 2), "max_ms": round(max(lat, default=0) * 1000, 2),
        "status": dict(sum(statuses, Counter())), "verdicts": dict(sum(verdicts, Counter())),
    }


_WRK_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def _wrk_ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return round(float(m.group(1)) * _WRK_UNITS[m.group(2)], 2) if m else float("nan")


def run_wrk(url: str, path: str, bodies: list[str] | None, threads: int, seconds: float) -> dict[str, object]:
    """wrk against `url + path`: POST cycling through `bodies`, or GET when None."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        if bodies is not None:
            quoted = ",\n".join("'" + b.replace("\\", "\\\\").replace("'", "\\'") + "'" for b in bodies)
            fh.write("local bodies = {\n" + quoted + "\n}\nlocal i = 0\n"
                     "local headers = {[\"Content-Type\"] = \"application/json\"}\n"
                     "request = function()\n  i = i % #bodies + 1\n"
                     f"  return wrk.format(\"POST\", \"{path}\", headers, bodies[i])\nend\n")
        script = fh.name
    try:
        cmd = ["wrk", f"-t{min(threads, 2)}", f"-c{threads}", f"-d{max(1, int(seconds))}s", "--latency", "-s", script, url + path]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30).stdout
    finally:
        os.unlink(script)
    total = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    dist = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    n = int(total.group(1)) if total else 0
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    max_lat = re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", out)
    status: dict[object, int] = {"2xx": n - (int(bad.group(1)) if bad else 0)}
    if bad:
        status["non-2xx"] = int(bad.group(1))
    if errors:
        status["socket errors"] = errors.group(1).strip()  # type: ignore[assignment]
    return {"requests": n, "seconds": float(seconds), "rps": float(rps.group(1)) if rps else 0.0,
            "p50_ms": _wrk_ms(dist.get("50", "")), "p90_ms": _wrk_ms(dist.get("90", "")),
            "p99_ms": _wrk_ms(dist.get("99", "")), "max_ms": _wrk_ms(max_lat.group(1)) if max_lat else float("nan"),
            "status": status, "verdicts": {}}


def long_names(n: int, seed: int = 5) -> list[str]:
    """`n` names of ~2,100 characters: short words joined by hyphens (the engine's slowest shape)."""
    rng = random.Random(seed)
    words = ["".join(rng.choices(ALPHABET, k=rng.randint(3, 6))) for _ in range(400)]
    out = []
    for _ in range(n):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < 2100:
            parts.append(rng.choice(words))
        out.append("-".join(parts))
    return out


class Hostile:
    """`n` threads sending single checks of 2 KB names in a closed loop until stopped (or `seconds`)."""

    def __init__(self, url: str, n: int, seconds: float) -> None:
        self.stop_at = time.monotonic() + seconds
        self.stopped = threading.Event()
        self.status: Counter = Counter()
        self.lock = threading.Lock()
        names = long_names(64)
        self.threads = [threading.Thread(target=self._run, args=(url, names[k::max(n, 1)]), daemon=True) for k in range(n)]
        for t in self.threads:
            t.start()

    def _run(self, url: str, names: list[str]) -> None:
        with httpx.Client(base_url=url, timeout=60) as c:
            i = 0
            while not self.stopped.is_set() and time.monotonic() < self.stop_at:
                try:
                    code: object = c.post("/v1/check", json={"registry": "pypi", "name": names[i % len(names)]}).status_code
                except httpx.HTTPError as exc:
                    code = type(exc).__name__
                i += 1
                with self.lock:
                    self.status[code] += 1

    def stop(self) -> dict[str, int]:
        self.stopped.set()
        for t in self.threads:
            t.join(90)
        return {str(k): v for k, v in self.status.items()}


def server_totals(url: str) -> dict[str, float]:
    """Sums and counts of the engine and request time of POST /v1/check, from /metrics."""
    text = httpx.get(url + "/metrics", timeout=10).text
    vals = {}
    for name in ("check", "http_request"):
        for part in ("sum", "count"):
            m = re.search(rf'^confuguard_{name}_duration_seconds_{part}{{endpoint="/v1/check"}} (\S+)$', text, re.M)
            vals[f"{name}_{part}"] = float(m.group(1)) if m else 0.0
    return vals


def server_view(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """Mean engine and whole-request time per check between two `server_totals`."""
    def mean(name: str) -> float:
        n = after[f"{name}_count"] - before[f"{name}_count"]
        return round((after[f"{name}_sum"] - before[f"{name}_sum"]) / max(n, 1) * 1000, 3)

    return {"engine_mean_ms": mean("check"), "request_mean_ms": mean("http_request")}


def in_process(sample: list[str], no_embeddings: bool, seconds: float) -> dict[str, object]:
    """The engine called directly, one name at a time, single thread (BLAS limited like the server)."""
    from confuguard.engine import Engine

    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=int(os.environ.get("CONFUGUARD_BLAS_THREADS", "1")))
    except ImportError:
        pass

    engine = Engine(encoder=None) if no_embeddings else Engine()
    engine.warm([Ecosystem.PYPI])
    for name in sample[:50]:
        engine.check_name(name, Ecosystem.PYPI)
    lat = []
    deadline = time.monotonic() + seconds
    t0 = time.perf_counter()
    for name in sample:
        if time.monotonic() > deadline:
            break
        s = time.perf_counter()
        engine.check_name(name, Ecosystem.PYPI)
        lat.append(time.perf_counter() - s)
    wall = time.perf_counter() - t0
    return {"requests": len(lat), "rps": round(len(lat) / wall, 1), "p50_ms": round(pct(lat, 50) * 1000, 2),
            "p99_ms": round(pct(lat, 99) * 1000, 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=5000, help="check requests (default 5000)")
    ap.add_argument("--seconds", type=float, default=30, help="time limit per phase (default 30)")
    ap.add_argument("--client", choices=["auto", "httpx", "wrk"], default="auto",
                    help="load generator (default: wrk when installed, else httpx)")
    ap.add_argument("--threads", type=int, default=4, help="client threads = requests in flight (default 4)")
    ap.add_argument("--no-embeddings", action="store_true", help="serve with --no-embeddings")
    ap.add_argument("--workers", type=int, default=1, help="serve with --workers N (default 1)")
    ap.add_argument("--hostile", type=int, default=3, help="clients sending 2 KB names in the fairness phases "
                                                           "(default 3; 0: no fairness phases)")
    ap.add_argument("--json", action="store_true", help="also print one JSON line with every figure")
    args = ap.parse_args()

    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "httpx"
    elif client == "wrk" and not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk); use --client httpx")
    sample = sample_names(args.requests)
    bodies = [{"registry": "pypi", "name": n} for n in sample]
    before = loadavg()
    base = (["--no-embeddings"] if args.no_embeddings else []) + ["--workers", str(args.workers)]

    def load_checks(url: str) -> dict[str, object]:
        if client == "wrk":
            return run_wrk(url, "/v1/check", [json.dumps(b) for b in bodies], args.threads, args.seconds)
        return run_load(url, [("/v1/check", b) for b in bodies], args.threads, args.seconds)

    def under_attack(url: str) -> tuple[dict[str, object], dict[str, int]]:
        attack = Hostile(url, args.hostile, args.seconds + 5)
        time.sleep(1.0)  # let the slow requests reach the engine first
        try:
            r = load_checks(url)
        finally:
            slow = attack.stop()
        return r, slow

    server = Server(base)
    fair: tuple[dict[str, object], dict[str, int]] | None = None
    unfair: tuple[dict[str, object], dict[str, int]] | None = None
    try:
        ready_s = server.wait_ready(180)
        run_load(server.url, [("/v1/check", b) for b in bodies[:200]], args.threads, args.seconds)  # warm-up
        if client == "wrk":
            health = run_wrk(server.url, "/healthz", None, args.threads, args.seconds)
        else:
            health = run_load(server.url, [("/healthz", None)] * args.requests, args.threads, args.seconds)
        totals = server_totals(server.url)
        checks = load_checks(server.url)
        # with several workers each scrape reaches one of them: no server-side view then
        view = server_view(totals, server_totals(server.url)) if args.workers == 1 else None
        if args.hostile:
            fair = under_attack(server.url)
    finally:
        code = server.stop()
    if args.hostile:  # the same attack on a server without lanes: every request in one pool
        plain = Server(base + ["--heavy-cost", str(10**9), "--slots", "64", "--per-client", "1000"])
        try:
            plain.wait_ready(180)
            run_load(plain.url, [("/v1/check", b) for b in bodies[:200]], args.threads, args.seconds)
            unfair = under_attack(plain.url)
        finally:
            plain.stop()
    direct = in_process(sample, args.no_embeddings, args.seconds)
    after = loadavg()

    mode = ("no embeddings" if args.no_embeddings else "embeddings on (default)") + f", {args.workers} worker(s)"
    print(f"confuguard serve, {mode}; {os.cpu_count()} CPUs; load average before {before}, after {after}")
    print(f"server ready in {ready_s:.1f} s (process start to /readyz 200); exit code after SIGTERM: {code}")
    how = "wrk, Lua script cycling the names" if client == "wrk" else "keep-alive httpx clients, one per thread"
    print(f"client: {how}; {args.threads} requests in flight, closed loop; names: {len(sample)} "
          f"(half typos of popular PyPI names)")
    for label, r in (("POST /v1/check", checks), ("GET /healthz (baseline)", health)):
        print(f"  {label:26s} {r['requests']:6d} req in {r['seconds']:6.2f} s = {r['rps']:7.1f} req/s   "
              f"p50 {r['p50_ms']:6.2f} ms  p90 {r['p90_ms']:6.2f} ms  p99 {r['p99_ms']:6.2f} ms  max {r['max_ms']:7.2f} ms   "
              f"status {r['status']}")
    print(f"  {'engine in-process (1 thr)':26s} {direct['requests']:6d} names            = {direct['rps']:7.1f} checks/s"
          f" p50 {direct['p50_ms']:6.2f} ms                 p99 {direct['p99_ms']:6.2f} ms")
    if view:
        print(f"  server side (from /metrics): engine {view['engine_mean_ms']:.2f} ms, whole request "
              f"{view['request_mean_ms']:.2f} ms per check on average")
    if checks["verdicts"]:
        print(f"  verdicts: {checks['verdicts']}")
    print(f"  ratios: checks/s over /healthz req/s {checks['rps'] / max(health['rps'], 1e-9):.2f}; "
          f"checks/s over in-process checks/s {checks['rps'] / max(direct['rps'], 1e-9):.2f}")
    for label, phase in (("with lanes (as served)", fair), ("without lanes (baseline)", unfair)):
        if phase is None:
            continue
        r, slow = phase
        print(f"  {args.hostile} clients sending 2 KB names, {label}: ordinary {r['rps']:.1f} checks/s "
              f"({r['rps'] / max(checks['rps'], 1e-9):.2f} of the quiet phase), p50 {r['p50_ms']:.2f} ms, "
              f"p99 {r['p99_ms']:.2f} ms, status {r['status']}; 2 KB-name requests: {slow}")
    if fair and unfair:
        print(f"  fairness ratio: ordinary checks/s under attack, lanes over no lanes "
              f"{fair[0]['rps'] / max(unfair[0]['rps'], 1e-9):.2f}")
    goal = checks["rps"] >= 500 and checks["p99_ms"] <= 50
    print(f"  goal (>= 500 checks/s, p99 <= 50 ms): {'met' if goal else 'NOT met'}")
    if args.json:
        print(json.dumps({"mode": mode, "cpus": os.cpu_count(), "load_before": before, "load_after": after,
                          "ready_seconds": round(ready_s, 2), "threads": args.threads, "client": client, "check": checks, "server_view": view,
                          "healthz": health, "in_process": direct, "exit_code": code,
                          "under_attack": fair and {"checks": fair[0], "slow": fair[1]},
                          "under_attack_no_lanes": unfair and {"checks": unfair[0], "slow": unfair[1]}}))


if __name__ == "__main__":
    main()

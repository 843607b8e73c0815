"""Prometheus metrics of the HTTP service, kept in memory and rendered as text exposition format 0.0.4.

No client library: three counters and two histograms behind one lock are all the service needs.

    confuguard_http_requests_total{endpoint,method,status}       counter
    confuguard_http_request_duration_seconds{endpoint}           histogram (whole request, framework included)
    confuguard_check_duration_seconds{endpoint}                  histogram (engine time only)
    confuguard_checks_total{registry,verdict}                    counter (one per name checked)
    confuguard_alerts_total{registry}                            counter (names with verdict "suspicious")
    confuguard_in_flight{lane}                                   gauge (check requests holding an engine slot)
    confuguard_queued{lane}                                      gauge (check requests waiting for one)
    confuguard_refused_total{reason}                             counter (client, queue, wait, time)
    confuguard_ready                                             gauge (1 once the engine is warm)
    confuguard_info{version,schema_version}                      gauge (always 1)

Every label comes from a closed set, so no client can grow the series: `endpoint` is one of
ENDPOINTS, `/ui/alerts/{id}` or `other`, `method` one of METHODS or `other`, `status` a three-digit code or `other`.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping

from confuguard.types import CheckResult, Verdict

#: Latency buckets in seconds (upper bounds; +Inf is added when rendering).
BUCKETS: tuple[float, ...] = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
#: The service's own routes; any other path is counted as `other`.
ENDPOINTS = frozenset({"/v1/check", "/v1/check/batch", "/healthz", "/readyz", "/metrics", "/openapi.json"})
#: The HTTP methods counted by name; made-up ones are counted as `other`.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
REFUSALS = ("client", "queue", "wait", "time")


def label_values(path: str, method: str, status: int) -> tuple[str, str, str]:
    """The (endpoint, method, status) labels of a request, each from a closed set."""
    endpoint = path if path in ENDPOINTS else "/ui/alerts/{id}" if path.startswith("/ui/alerts/") else "other"
    return (endpoint, method if method in METHODS else "other",
            str(status) if 100 <= status <= 599 else "other")


class Histogram:
    """Bucket counts (not cumulative), sum and count; the caller holds the lock."""

    __slots__ = ("counts", "sum", "count")

    def __init__(self) -> None:
        self.counts = [0] * (len(BUCKETS) + 1)
        self.sum = 0.0
        self.count = 0

    def observe(self, seconds: float) -> None:
        i = 0
        while i < len(BUCKETS) and seconds > BUCKETS[i]:
            i += 1
        self.counts[i] += 1
        self.sum += seconds
        self.count += 1


def _labels(pairs: Mapping[str, str]) -> str:
    def esc(v: str) -> str:
        return v.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')

    return "{" + ",".join(f'{k}="{esc(v)}"' for k, v in pairs.items()) + "}"


def _num(x: float) -> str:
    return "+Inf" if math.isinf(x) else repr(float(x))


class Metrics:
    """Thread-safe counters and histograms of one service instance."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str, str], int] = {}
        self.latency: dict[str, Histogram] = {}
        self.engine_latency: dict[str, Histogram] = {}
        self.checks: dict[tuple[str, str], int] = {}
        self.alerts: dict[str, int] = {}

    def observe_request(self, path: str, method: str, status: int, seconds: float) -> None:
        """Count one finished HTTP request and its latency (labels folded into their closed sets)."""
        key = label_values(path, method, status)
        endpoint = key[0]
        with self._lock:
            self.requests[key] = self.requests.get(key, 0) + 1
            hist = self.latency.get(endpoint)
            if hist is None:
                hist = self.latency[endpoint] = Histogram()
            hist.observe(seconds)

    def observe_checks(self, endpoint: str, results: Iterable[CheckResult], seconds: float) -> None:
        """Count the verdicts of one engine call and its duration."""
        with self._lock:
            hist = self.engine_latency.get(endpoint)
            if hist is None:
                hist = self.engine_latency[endpoint] = Histogram()
            hist.observe(seconds)
            for r in results:
                reg = r.ecosystem.value
                key = (reg, r.verdict.value)
                self.checks[key] = self.checks.get(key, 0) + 1
                if r.verdict is Verdict.SUSPICIOUS:
                    self.alerts[reg] = self.alerts.get(reg, 0) + 1

    def render(self, *, ready: bool, info: Mapping[str, str] | None = None,
               lanes: Mapping[str, tuple[int, int]] | None = None, refused: Mapping[str, int] | None = None) -> str:
        """The Prometheus text exposition of everything counted so far."""
        out: list[str] = []
        with self._lock:
            requests = sorted(self.requests.items())
            latency = {k: (list(h.counts), h.sum, h.count) for k, h in sorted(self.latency.items())}
            engine = {k: (list(h.counts), h.sum, h.count) for k, h in sorted(self.engine_latency.items())}
            checks = sorted(self.checks.items())
            alerts = sorted(self.alerts.items())
        out += ["# HELP confuguard_http_requests_total HTTP requests by endpoint, method and status code.",
                "# TYPE confuguard_http_requests_total counter"]
        for (endpoint, method, status), n in requests:
            out.append(f"confuguard_http_requests_total{_labels({'endpoint': endpoint, 'method': method, 'status': status})} {n}")
        self._histogram(out, "confuguard_http_request_duration_seconds",
                        "Time from request start to response end, by endpoint.", latency)
        self._histogram(out, "confuguard_check_duration_seconds",
                        "Engine time of the check endpoints (one observation per request).", engine)
        out += ["# HELP confuguard_checks_total Names checked, by registry and verdict.",
                "# TYPE confuguard_checks_total counter"]
        for (reg, verdict), n in checks:
            out.append(f"confuguard_checks_total{_labels({'registry': reg, 'verdict': verdict})} {n}")
        out += ["# HELP confuguard_alerts_total Names found suspicious (verdict \"suspicious\"), by registry.",
                "# TYPE confuguard_alerts_total counter"]
        for reg, n in alerts:
            out.append(f"confuguard_alerts_total{_labels({'registry': reg})} {n}")
        if lanes is not None:
            out += ["# HELP confuguard_in_flight Check requests holding an engine slot, by lane.",
                    "# TYPE confuguard_in_flight gauge"]
            out += [f"confuguard_in_flight{_labels({'lane': lane})} {busy}" for lane, (busy, _) in sorted(lanes.items())]
            out += ["# HELP confuguard_queued Check requests waiting for an engine slot, by lane.",
                    "# TYPE confuguard_queued gauge"]
            out += [f"confuguard_queued{_labels({'lane': lane})} {wait}" for lane, (_, wait) in sorted(lanes.items())]
        if refused is not None:
            out += ["# HELP confuguard_refused_total Check requests refused: client over its limit (429), queue full "
                    "or no slot within the time budget (503), time budget spent while checking (504).",
                    "# TYPE confuguard_refused_total counter"]
            out += [f"confuguard_refused_total{_labels({'reason': r})} {refused.get(r, 0)}" for r in REFUSALS]
        out += ["# HELP confuguard_ready 1 once the engine and its indexes are loaded.",
                "# TYPE confuguard_ready gauge", f"confuguard_ready {int(ready)}"]
        if info:
            out += ["# HELP confuguard_info Version information.", "# TYPE confuguard_info gauge",
                    f"confuguard_info{_labels(info)} 1"]
        return "\n".join(out) + "\n"

    @staticmethod
    def _histogram(out: list[str], name: str, help_text: str,
                   data: Mapping[str, tuple[list[int], float, int]]) -> None:
        out += [f"# HELP {name} {help_text}", f"# TYPE {name} histogram"]
        for endpoint, (counts, total, count) in data.items():
            running = 0
            for bound, n in zip((*BUCKETS, math.inf), counts):
                running += n
                out.append(f"{name}_bucket{_labels({'endpoint': endpoint, 'le': _num(bound)})} {running}")
            out.append(f"{name}_sum{_labels({'endpoint': endpoint})} {total!r}")
            out.append(f"{name}_count{_labels({'endpoint': endpoint})} {count}")

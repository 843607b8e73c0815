"""Request budgets and admission to the engine for the HTTP service: a slow request cannot starve others.

    limits = Limits(slots=4, heavy_slots=1, per_client=16, time_budget=10.0)
    gate = Admission(limits)
    refusal = await gate.enter(lane, client, deadline)     # None: admitted; else (status, message)
    try: ... run the engine in a thread ...
    finally: gate.leave(lane, client)

Every check request is costed before it reaches the engine (`cost`: one unit per name, one more
per 64 characters of a long name). A request above `heavy_cost` units goes to the *heavy* lane,
which has `heavy_slots` engine slots of its own; everything else shares the `slots` of the
*light* lane. A heavy request also waits until no light request has run or waited for `quiet`
seconds (default 0.05): the engine is Python code under one GIL, and a thread that computes for
seconds makes every other thread wait up to the interpreter's switch interval at each hand-over
(event loop -> worker -> event loop), so a separate slot alone does not protect the ordinary
checks (measured on a loaded 2-core machine: 79 -> 6 checks/s with three clients sending 2 KB
names). Ordinary checks go first; under unbroken ordinary load a heavy request is refused (503,
Retry-After) once its time budget is spent. A client (peer address) has at most `per_client`
requests admitted or waiting at once (more: 429). A request waits for its lane's slot at most
until its time budget runs out (then 503 with Retry-After), and at most `max_queue` requests wait
at once (more: 503 at once). The service reports itself not ready (`/readyz` 503 "saturated")
while half the queue or more is taken.

Everything here runs on the event loop (one thread): no locks.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

LANES = ("light", "heavy")


@dataclass(frozen=True, slots=True)
class Limits:
    """The service's per-request budgets and its concurrency limits."""

    max_batch: int = 1000        # names per batch request (more: 413)
    max_body: int = 1 << 20      # bytes per request body (more: 413)
    max_name: int = 4096         # characters per name, refused before the engine (more: 422)
    time_budget: float = 10.0    # seconds per check request, waiting included (503 while queued, 504 while checking)
    slots: int = 4               # light requests in the engine at once
    heavy_slots: int = 1         # heavy requests in the engine at once
    heavy_cost: int = 16         # cost units above which a request is heavy (a 2 KB name: 33; 17 short names)
    per_client: int = 16         # requests in flight per client address (more: 429)
    max_queue: int = 64          # requests waiting for a slot (more: 503 at once)
    chunk: int = 64              # names handed to the engine at once; the time budget is checked between chunks
    quiet: float = 0.05          # seconds without light work before a heavy request may start

    def __post_init__(self) -> None:
        for name in ("max_batch", "max_body", "max_name", "slots", "heavy_slots", "heavy_cost", "per_client",
                     "max_queue", "chunk"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be positive")
        if not self.time_budget > 0:
            raise ValueError("time_budget must be positive")
        if not self.quiet >= 0:
            raise ValueError("quiet must not be negative")


def cost(names: Sequence[str]) -> int:
    """Cost units of checking `names`: one a name, plus one per 64 characters beyond the first 64."""
    return sum(1 + max(0, len(n) - 1) // 64 for n in names)


class Admission:
    """Slots per lane, a per-client count and a bounded wait, on the event loop."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._sems = {"light": asyncio.Semaphore(limits.slots), "heavy": asyncio.Semaphore(limits.heavy_slots)}
        self._light_idle = asyncio.Event()
        self._light_idle.set()
        self._idle_since = float("-inf")  # loop time the light lane last became idle
        self.busy: Counter[str] = Counter()      # requests holding a slot, per lane
        self.waiting: Counter[str] = Counter()   # requests waiting for a slot, per lane
        self.clients: Counter[str] = Counter()   # requests admitted or waiting, per client
        self.refused: Counter[str] = Counter()   # refusals by reason (client, queue, wait, time)

    def lane(self, names: Sequence[str]) -> str:
        """`heavy` when the request costs more than `heavy_cost` units, else `light`."""
        return "heavy" if cost(names) > self.limits.heavy_cost else "light"

    @property
    def queued(self) -> int:
        """Requests waiting for a slot, all lanes."""
        return sum(self.waiting.values())

    def saturated(self) -> bool:
        """Half the wait queue or more is taken: new work should go elsewhere."""
        return self.queued * 2 >= self.limits.max_queue

    async def enter(self, lane: str, client: str, deadline: float) -> tuple[int, str] | None:
        """Wait for a slot of `lane` until `deadline` (loop time); None once admitted, else (status, message)."""
        limits = self.limits
        if self.clients[client] >= limits.per_client:
            self.refused["client"] += 1
            return 429, f"too many requests in flight from this client (limit {limits.per_client}); retry later"
        sem = self._sems[lane]
        if sem.locked() and self.queued >= limits.max_queue:
            self.refused["queue"] += 1
            return 503, f"the service is saturated ({self.queued} requests waiting); retry later"
        self.clients[client] += 1
        self.waiting[lane] += 1
        self._light_changed()
        try:
            await asyncio.wait_for(self._acquire(lane), timeout=max(deadline - asyncio.get_running_loop().time(), 0.0))
        except (TimeoutError, asyncio.TimeoutError, asyncio.CancelledError) as exc:
            self._forget(client)
            if isinstance(exc, asyncio.CancelledError):
                raise
            self.refused["wait"] += 1
            return 503, (f"no engine slot free within the time budget of {limits.time_budget:g} s "
                         f"({self.busy[lane]} {lane} requests running); retry later")
        finally:
            self.waiting[lane] -= 1
            self._light_changed()
        return None

    async def _acquire(self, lane: str) -> None:
        """Take a slot of `lane`; a heavy one only while no light request runs or waits."""
        sem = self._sems[lane]
        if lane == "light":
            await sem.acquire()
            self.busy[lane] += 1
            return
        loop = asyncio.get_running_loop()
        while True:
            await self._light_idle.wait()
            quiet_for = loop.time() - self._idle_since
            if quiet_for < self.limits.quiet:
                await asyncio.sleep(self.limits.quiet - quiet_for)
                continue
            await sem.acquire()
            if self._light_idle.is_set() and loop.time() - self._idle_since >= self.limits.quiet:
                self.busy[lane] += 1
                return
            sem.release()  # light work arrived while we waited for the slot: let it go first

    def leave(self, lane: str, client: str) -> None:
        """Give back the slot taken by `enter`."""
        self.busy[lane] -= 1
        self._sems[lane].release()
        self._forget(client)
        self._light_changed()

    def _light_changed(self) -> None:
        if self.busy["light"] == 0 and self.waiting["light"] == 0:
            if not self._light_idle.is_set():
                self._idle_since = asyncio.get_running_loop().time()
                self._light_idle.set()
        else:
            self._light_idle.clear()

    def _forget(self, client: str) -> None:
        self.clients[client] -= 1
        if self.clients[client] <= 0:
            del self.clients[client]


__all__ = ["LANES", "Admission", "Limits", "cost"]

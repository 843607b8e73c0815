"""`confuguard serve [--host 127.0.0.1] [--port 8080] [--token-file FILE] [--registry R ...]`.

Runs the HTTP detection service (see `confuguard.service` for the endpoints, limits and
status codes) with uvicorn. The engine is built once, the way `check` builds it; the listed
registries (default: all six) are loaded in the background at start-up and `/readyz` turns
200 when they are. Binds to loopback unless told otherwise; any other address is reported on
stderr. `--workers N` forks N processes that accept on the same socket, each with its own engine
(N x the memory; counters in /metrics are per worker). The per-request budgets and the
concurrency limits (`--max-name`, `--time-budget`, `--slots`, `--heavy-slots`, `--per-client`,
`--max-queue`) are those of `confuguard.admission.Limits`, per worker. BLAS/OpenMP run one thread per request (`CONFUGUARD_BLAS_THREADS` to change). Exit 0 on SIGINT/SIGTERM after a graceful shutdown; 2 when the token file or the
address cannot be used.

FastAPI, uvicorn and the engine are imported by the handler only, so other subcommands do not
pay for them.
"""

from __future__ import annotations

import argparse
import logging
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from confuguard.commands import registry_arg
from confuguard.errors import ExitCode, InputError, decode_utf8, print_error

if TYPE_CHECKING:
    import socket

log = logging.getLogger(__name__)
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8080
#: (option, Limits field, type, help) of the per-request budgets and concurrency limits; defaults from `Limits`.
_LIMIT_OPTIONS: tuple[tuple[str, str, type, str], ...] = (
    ("--max-batch", "max_batch", int, "most names per batch request (more: 413)"),
    ("--max-body", "max_body", int, "largest request body in bytes (more: 413)"),
    ("--max-name", "max_name", int, "longest name in characters, refused before the engine (more: 422)"),
    ("--time-budget", "time_budget", float, "seconds a check request may take, waiting included (then 503/504)"),
    ("--slots", "slots", int, "ordinary check requests in the engine at once"),
    ("--heavy-slots", "heavy_slots", int, "heavy check requests (long names, big batches) in the engine at once"),
    ("--heavy-cost", "heavy_cost", int, "cost units (one a name, one more per 64 characters) above which a request is heavy"),
    ("--per-client", "per_client", int, "check requests in flight per client address (more: 429)"),
    ("--max-queue", "max_queue", int, "check requests waiting for a slot (more: 503; /readyz says saturated at half)"),
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `serve` subcommand."""
    p = sub.add_parser(
        "serve", help="run the HTTP detection service",
        description="Serve POST /v1/check, POST /v1/check/batch, GET /healthz, /readyz, /metrics and "
                    "/openapi.json. Binds to 127.0.0.1 by default. With --token-file every path except "
                    "/healthz, /readyz and /openapi.json needs 'Authorization: Bearer <token>'.")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST}; "
                                                        "anything but loopback is reachable from other machines)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT}; 0 = any free port, "
                                                                 "printed on stderr)")
    p.add_argument("--token-file", type=Path, default=None, metavar="FILE",
                   help="require this bearer token (the file's content, surrounding whitespace stripped)")
    p.add_argument("-r", "--registry", dest="registries", type=registry_arg, action="append", default=None,
                   metavar="R", help="registry to load at start-up (repeatable; default: all six; others load on first use)")
    p.add_argument("--no-embeddings", action="store_true", help="skip the embedding generator (edit/token rules only)")
    p.add_argument("--no-classifier", action="store_true", help="name evidence only: every candidate is suspicious")
    p.add_argument("--db", type=Path, default=None, help="local metadata store for the classifier (default: user data dir)")
    from confuguard.admission import Limits  # no heavy import: a dataclass

    defaults = Limits()
    for option, field, kind, text in _LIMIT_OPTIONS:
        default = getattr(defaults, field)
        p.add_argument(option, dest=field, type=kind, default=default, metavar="N", help=f"{text} (default {default:g})")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="worker processes sharing the port, each with its own engine (default 1; /metrics and "
                        "/readyz then describe the worker that answers)")
    p.add_argument("--ui", action="store_true",
                   help="serve the analyst's page of each stored alert at GET /ui/alerts/{id} (needs the store: --db)")
    p.add_argument("--access-log", action="store_true", help="log every request on stdout (default: off; see /metrics)")
    p.set_defaults(func=handler)


def read_token(path: Path) -> str:
    """The bearer token in `path`, stripped; warns when others may read the file."""
    try:
        raw = path.read_bytes()
        mode = path.stat().st_mode
    except OSError as exc:
        raise InputError(f"cannot read token file {path}: {exc.strerror}") from None
    token = decode_utf8(raw, f"token file {path}").strip()
    if not token:
        raise InputError(f"token file {path} is empty")
    if any(c.isspace() or not c.isprintable() for c in token) or not token.isascii():
        raise InputError(f"token file {path}: the token must be printable ASCII without spaces")
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        print_error(f"token file {path} is readable by other users (chmod 600 it)", "warning")
    return token


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses."""
    import ipaddress

    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (clear InputError when it cannot be had)."""
    import socket

    if not 0 <= port <= 65535:
        raise InputError(f"port {port} is out of range (0-65535)")
    host = host.strip("[]")
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise InputError(f"cannot resolve host {host!r}: {exc.strerror}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.set_inheritable(True)
    return sock


def handler(args: argparse.Namespace) -> int:
    """Check the options, bind, serve until interrupted (in this process, or in --workers forks)."""
    from confuguard.admission import Limits
    from confuguard.extras import require

    require("serve", "serve")

    try:
        Limits(**{field: getattr(args, field) for _, field, _, _ in _LIMIT_OPTIONS})
    except ValueError as exc:  # "<field> must be positive"
        field = str(exc).split()[0]
        raise InputError(f"--{field.replace('_', '-')} must be positive") from None
    if not 1 <= args.workers <= 64:
        raise InputError("--workers must be between 1 and 64")
    if args.workers > 1 and not hasattr(os, "fork"):
        raise InputError("--workers needs fork (POSIX)")
    token = read_token(args.token_file) if args.token_file else None
    if args.ui:
        from confuguard.app import open_store

        found = open_store(args.db)
        if found is None:
            raise InputError("--ui needs a store with alerts (--db PATH, or run `confuguard sweep` first)")
        found.close()
    if not is_loopback(args.host):
        print_error(f"binding {args.host}, not loopback: the service is reachable from other machines"
                    + ("" if token else " and has no token (use --token-file)"), "warning")
    sock = bind(args.host, args.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"confuguard: serving on http://{shown}:{port} (auth: {'bearer token' if token else 'none'}; "
          f"workers: {args.workers}; GET /readyz turns 200 when the engine is loaded)", file=sys.stderr, flush=True)
    try:
        if args.workers == 1:
            _serve(sock, args, token)
            return ExitCode.OK
        return _supervise(sock, args, token)
    finally:
        sock.close()


def _serve(sock: socket.socket, args: argparse.Namespace, token: str | None) -> None:
    """Build the engine and the app in this process and serve on `sock` until SIGINT/SIGTERM."""
    import signal

    # Requests run concurrently in a thread pool; BLAS/OpenMP threads per request on top of that
    # only oversubscribe the cores (one MiniLM encode: ~25 ms with 1 thread, ~450 ms with 2 on a busy 2-core box).
    # The variables cover libraries loaded from now on, threadpoolctl those the imports below loaded.
    blas = os.environ.get("CONFUGUARD_BLAS_THREADS", "1")
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, blas)
    import uvicorn

    from confuguard.admission import Limits
    from confuguard.app import build_engine, open_store
    from confuguard.service import create_app

    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=int(blas))
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        pass

    # A thread that computes (a long name, a big batch) makes every other thread wait up to the
    # switch interval at each hand-over; 1 ms instead of 5 keeps ordinary checks moving beside it.
    sys.setswitchinterval(float(os.environ.get("CONFUGUARD_SWITCH_INTERVAL", "0.001")))
    store = open_store(args.db)
    engine = build_engine(no_embeddings=args.no_embeddings, no_classifier=args.no_classifier, store=store)
    limits = Limits(**{field: getattr(args, field) for _, field, _, _ in _LIMIT_OPTIONS})
    ui = None
    if args.ui and store is not None:  # (the handler checked that the store exists)
        from confuguard.alerts import alert_page

        ui = lambda alert_id: alert_page(store, alert_id, engine=engine)  # noqa: E731
    app = create_app(engine, token=token, limits=limits, warm=args.registries, ui=ui)
    # uvicorn logs as much as confuguard does, from warnings on
    level = min(logging.WARNING, logging.getLogger("confuguard").getEffectiveLevel())
    config = uvicorn.Config(app, log_level=level, access_log=args.access_log, server_header=False,
                            timeout_graceful_shutdown=10)
    # uvicorn re-raises the signal that stopped it once it has shut down; with these no-op
    # handlers in place that re-raise is harmless and a SIGTERM/SIGINT stop exits 0.
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _supervise(sock: socket.socket, args: argparse.Namespace, token: str | None) -> int:
    """Fork `args.workers` processes serving the same socket; stop them all on SIGINT/SIGTERM.

    Nothing heavy is imported or started before the fork: each worker builds its own engine.
    A worker that dies stops the others (no respawn) and the command exits 2.
    """
    import signal
    import traceback

    children: set[int] = set()
    for _ in range(args.workers):
        pid = os.fork()
        if pid == 0:  # the worker
            code: int = ExitCode.OK
            try:
                _serve(sock, args, token)
            except BaseException:  # noqa: BLE001 - report and leave without running the parent's cleanup
                traceback.print_exc()
                code = ExitCode.ERROR
            finally:
                sys.stderr.flush()
                os._exit(code)
        children.add(pid)
    stopping = False

    def stop_all(signum: int = signal.SIGTERM, _frame: object = None) -> None:
        nonlocal stopping
        stopping = True
        for child in list(children):
            try:
                os.kill(child, signal.SIGTERM)
            except ProcessLookupError:
                pass

    previous = {sig: signal.signal(sig, stop_all) for sig in (signal.SIGINT, signal.SIGTERM)}
    failed = False
    try:
        while children:
            pid, status = os.wait()
            children.discard(pid)
            code = os.waitstatus_to_exitcode(status)
            if stopping and code in (0, -signal.SIGTERM, -signal.SIGINT):
                continue  # (a worker still starting up dies of the signal itself)
            if not stopping:
                log.error("worker %d stopped (exit %d); stopping the others", pid, code)
            failed = True
            stop_all()
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
    return ExitCode.ERROR if failed else ExitCode.OK

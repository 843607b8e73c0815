"""`confuguard serve [--host 127.0.0.1] [--port 8080] [--token-file FILE] [--registry R ...]`.

Runs the HTTP detection service (see `confuguard.service` for the endpoints, limits and
status codes) with uvicorn. The engine is built once, the way `check` builds it; the listed
registries (default: all six) are loaded in the background at start-up and `/readyz` turns
200 when they are. Binds to loopback unless told otherwise; any other address is reported on
stderr. BLAS/OpenMP run one thread per request (`CONFUGUARD_BLAS_THREADS` to change). Exit 0 on SIGINT/SIGTERM after a graceful shutdown; 2 when the token file or the
address cannot be used.

FastAPI, uvicorn and the engine are imported by the handler only, so other subcommands do not
pay for them.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from confuguard.commands.check import registry_arg
from confuguard.errors import InputError

EXIT_OK, EXIT_ERROR = 0, 2
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8080
DEFAULT_MAX_BATCH, DEFAULT_MAX_BODY = 1000, 1 << 20  # kept equal to confuguard.service's defaults


def register(sub: argparse._SubParsersAction) -> None:
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
    p.add_argument("--max-batch", type=int, default=DEFAULT_MAX_BATCH, metavar="N",
                   help=f"most names per batch request (default {DEFAULT_MAX_BATCH}; more: 413)")
    p.add_argument("--max-body", type=int, default=DEFAULT_MAX_BODY, metavar="BYTES",
                   help=f"largest request body (default {DEFAULT_MAX_BODY}; more: 413)")
    p.add_argument("--access-log", action="store_true", help="log every request on stdout (default: off; see /metrics)")
    p.set_defaults(func=handler)


def read_token(path: Path) -> str:
    """The bearer token in `path`, stripped; warns when others may read the file."""
    try:
        raw = path.read_bytes()
        mode = path.stat().st_mode
    except OSError as exc:
        raise InputError(f"cannot read token file {path}: {exc.strerror}") from None
    try:
        token = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise InputError(f"token file {path} is not UTF-8 text") from None
    if not token:
        raise InputError(f"token file {path} is empty")
    if any(c.isspace() or not c.isprintable() for c in token) or not token.isascii():
        raise InputError(f"token file {path}: the token must be printable ASCII without spaces")
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        print(f"confuguard: warning: token file {path} is readable by other users (chmod 600 it)", file=sys.stderr)
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


def bind(host: str, port: int) -> "socket.socket":  # noqa: F821 - imported inside
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
    """Build the engine, bind, serve until interrupted."""
    if args.max_batch < 1 or args.max_body < 1:
        raise InputError("--max-batch and --max-body must be positive")
    token = read_token(args.token_file) if args.token_file else None
    if not is_loopback(args.host):
        print(f"confuguard: warning: binding {args.host}, not loopback: the service is reachable from other machines"
              + ("" if token else " and has no token (use --token-file)"), file=sys.stderr)
    sock = bind(args.host, args.port)

    # Requests run concurrently in a thread pool; BLAS/OpenMP threads per request on top of that
    # only oversubscribe the cores (one MiniLM encode: ~25 ms with 1 thread, ~450 ms with 2 on a busy 2-core box).
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=int(os.environ.get("CONFUGUARD_BLAS_THREADS", "1")))
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        pass
    import uvicorn

    from confuguard.engine import Engine
    from confuguard.service import create_app

    engine = Engine(encoder=None) if args.no_embeddings else Engine()
    app = create_app(engine, token=token, max_batch=args.max_batch, max_body=args.max_body, warm=args.registries)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"confuguard: serving on http://{shown}:{port} (auth: {'bearer token' if token else 'none'}; "
          f"GET /readyz turns 200 when the engine is loaded)", file=sys.stderr, flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=args.access_log, server_header=False,
                            timeout_graceful_shutdown=10)
    # uvicorn re-raises the signal that stopped it once it has shut down; with these no-op
    # handlers in place that re-raise is harmless and a SIGTERM/SIGINT stop exits 0.
    import signal

    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        for sig, old in previous.items():
            signal.signal(sig, old)
    return EXIT_OK

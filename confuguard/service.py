"""The HTTP detection service behind `confuguard serve`: a FastAPI app around one shared `Engine`.

    app = create_app(Engine(), token="s3cret", warm=[Ecosystem.PYPI])
    uvicorn.run(app, host="127.0.0.1", port=8080)

Endpoints (request and response bodies are JSON; the OpenAPI document is at `/openapi.json`):

    POST /v1/check          {"registry": "pypi", "name": "reqeusts"}
                            -> the object `confuguard check --format json` prints for that name
    POST /v1/check/batch    {"registry": "pypi", "names": ["reqeusts", "flask"]}
                            or {"items": [{"registry": "npm", "name": "lodahs"}, {"registry": "pypi", "name": "numpyy"}]}
                            (an item without "registry" takes the top-level one)
                            -> {"results": [...]} in request order; at most `max_batch` names (default 1000)
    GET  /healthz           200 {"status": "ok"} while the process serves
    GET  /readyz            503 {"status": "warming"} until the engine is warm, then 200 {"status": "ready"}
                            (503 {"status": "failed", "error": ...} if warming failed; 503 {"status":
                            "saturated", ...} while half the wait queue or more is taken)
    GET  /metrics           Prometheus text (see `confuguard.metrics`)
    GET  /ui/alerts/{id}    the analyst's page of one stored alert (HTML, no script), only when the app
                            is given `ui` (`confuguard serve --ui --db PATH`); else 404
    GET  /openapi.json      the OpenAPI 3 document

Status codes: 200 for every checked name (a name that is not valid on its registry is a 200
with verdict "invalid", never an error); 400 body is not JSON or not a JSON object, or more than
one Authorization header; 401 missing or wrong bearer token; 404/405 unknown path or method; 413
body over `max_body` bytes (default 1 MiB) or batch over `max_batch` names; 415 a body sent with
a non-JSON Content-Type; 422 missing field, wrong type, unknown field, unknown registry, empty
name, a name over `max_name` characters (default 4096) or a string that is not valid Unicode (a
lone surrogate such as "\\ud800"); 429 the client already has `per_client` requests in flight; 503
the engine is still warming up, the service is saturated, or no engine slot came free within the
request's time budget (`Retry-After: 1` on all three), or the engine met a data/model error
(DataError and the like: a server-side problem, logged on stderr); 504 the time budget ran out
while the names were being checked (send smaller batches). Every error body is `{"error": "<one
line>"}`, and nothing that goes wrong in a request leaves more than one line in the log.

Fairness (see `confuguard.admission`): each check request is costed by its names and their
lengths; heavy requests share `heavy_slots` engine slots, ordinary ones `slots`, so a few batches
of 2 KB names cannot take the engine from ordinary checks. Per-request budgets: body bytes, names
per batch, characters per name (memory), and `time_budget` seconds, waiting included (time).

Authentication: with `token` set, every path except `/healthz`, `/readyz` and `/openapi.json`
needs `Authorization: Bearer <token>`, compared in constant time (`hmac.compare_digest`);
failures get 401 with `WWW-Authenticate: Bearer`. The body is not read before the token is
checked.

The engine is CPU-bound synchronous code; the check endpoints wait for their lane's slot on the
event loop, then run the engine in a worker thread, so the event loop stays free. The engine
loads its registries lazily behind a lock and is safe to share between threads.
"""

from __future__ import annotations

import asyncio
import hmac
import inspect
import logging
import threading
import time
from collections.abc import Callable, Iterable, MutableMapping
from contextlib import asynccontextmanager
from types import GenericAlias
from typing import (
    Annotated,
    Any,
    Literal,
    NotRequired,
    Protocol,
    get_args,
    get_origin,
    get_type_hints,
)

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictStr,
    create_model,
    model_validator,
)
from starlette.exceptions import HTTPException as StarletteHTTPException

from confuguard import __version__, logs
from confuguard.admission import LANES, Admission, Limits
from confuguard.app import NamesChecker, check_pairs
from confuguard.ecosystems import spec, specs
from confuguard.errors import ConfuguardError, InputError
from confuguard.formats.jsonfmt import (
    SCHEMA_VERSION,
    CandidateDoc,
    FindingDoc,
    ResultDoc,
    result_dict,
)
from confuguard.formats.sanitize import one_line
from confuguard.metrics import CONTENT_TYPE, Metrics
from confuguard.types import Ecosystem

#: Paths that answer without a token (liveness, readiness, the API description).
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/openapi.json"})


class Checker(NamesChecker, Protocol):
    """What the service needs from the engine: checking names, and loading registries before the first request."""

    def warm(self, ecosystems: Iterable[Ecosystem]) -> None: ...


# -- request and response documents ------------------------------------------------------------------


def _unicode(value: str) -> str:
    """`value` when it is valid Unicode text; ValueError for a lone surrogate (JSON's "\\ud800")."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = value[exc.start]
        raise ValueError(f"contains a lone surrogate (\\u{ord(bad):04x}) at character {exc.start}: "
                         "not valid Unicode text") from None
    return value


def _registry(value: Any) -> Ecosystem:
    if isinstance(value, Ecosystem):
        return value
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return Ecosystem.parse(_unicode(value))  # ValueError names the choices


def _name(value: str) -> str:
    value = _unicode(value).strip()
    if not value:
        raise ValueError("must not be empty")
    return value


def _optional_registry(value: Any) -> Ecosystem | None:
    return None if value is None else _registry(value)


Registry = Annotated[Ecosystem, BeforeValidator(_registry)]
OptionalRegistry = Annotated[Ecosystem | None, BeforeValidator(_optional_registry)]
Name = Annotated[StrictStr, AfterValidator(_name)]


_REGISTRY_DOC = f"{', '.join(s.name for s in specs())} (aliases gem, go, hf, pip... accepted)"


class CheckRequest(BaseModel):
    """One name to check."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"registry": "pypi", "name": "reqeusts"}]})
    registry: Registry = Field(description=_REGISTRY_DOC)
    name: Name = Field(description="the package name as a user would type it (or a purl)")


class BatchItem(BaseModel):
    """One name of a batch, with its own registry or the batch's."""

    model_config = ConfigDict(extra="forbid")
    registry: OptionalRegistry = Field(default=None, description=_REGISTRY_DOC + "; default: the batch's registry")
    name: Name


class BatchRequest(BaseModel):
    """Names to check: `names` (all of `registry`) or `items` (each may name its registry)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"registry": "pypi", "names": ["reqeusts", "flask"]},
        {"items": [{"registry": "npm", "name": "lodahs"}, {"registry": "pypi", "name": "numpyy"}]},
    ]})
    registry: OptionalRegistry = Field(default=None, description=_REGISTRY_DOC)
    names: list[Name] | None = None
    items: list[BatchItem] | None = None

    @model_validator(mode="after")
    def _shape(self) -> BatchRequest:
        if (self.names is None) == (self.items is None):
            raise ValueError('give exactly one of "names" or "items"')
        if self.names is not None and self.registry is None:
            raise ValueError('"names" needs a top-level "registry"')
        if self.items is not None and self.registry is None:
            for i, it in enumerate(self.items):
                if it.registry is None:
                    raise ValueError(f'items[{i}] has no "registry" and there is no top-level one')
        return self

    def pairs(self) -> list[tuple[Ecosystem, str]]:
        """(registry, name) per requested name, in order."""
        if self.names is not None:
            assert self.registry is not None
            return [(self.registry, n) for n in self.names]
        return [(it.registry or self.registry, it.name) for it in self.items or []]  # type: ignore[misc]


def _model(doc: Any, name: str, nested: dict[Any, type[BaseModel]], *,
           extra: Literal["allow", "ignore", "forbid"] = "ignore") -> type[BaseModel]:
    """A pydantic model of the TypedDict `doc` (`confuguard.formats.jsonfmt`), for the OpenAPI document: nested
    TypedDicts become the models in `nested`, `Annotated` strings descriptions, `NotRequired` keys optional."""
    fields: dict[str, Any] = {}
    for key, hint in get_type_hints(doc, include_extras=True).items():
        required = get_origin(hint) is not NotRequired
        hint = hint if required else get_args(hint)[0]
        description = None
        if get_origin(hint) is Annotated:
            hint, *meta = get_args(hint)
            description = next((m for m in meta if isinstance(m, str)), None)
        if get_origin(hint) is list and get_args(hint)[0] in nested:
            hint = GenericAlias(list, (nested[get_args(hint)[0]],))
        fields[key] = ((hint, Field(..., description=description)) if required
                       else (hint | None, Field(None, description=description)))
    model: type[BaseModel] = create_model(name, __config__=ConfigDict(extra=extra), __doc__=doc.__doc__, **fields)
    return model


FindingOut = _model(FindingDoc, "FindingOut", {})
CandidateOut = _model(CandidateDoc, "CandidateOut", {FindingDoc: FindingOut})
CheckResultOut = _model(ResultDoc, "CheckResultOut", {CandidateDoc: CandidateOut}, extra="allow")


_BATCH_FIELDS: dict[str, Any] = {"results": (GenericAlias(list, (CheckResultOut,)), ...)}
BatchOut = create_model("BatchOut", **_BATCH_FIELDS)


class ErrorOut(BaseModel):
    error: str


# -- the app --------------------------------------------------------------------------------------------


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": one_line(message)}, status_code=status, headers=headers)


log = logging.getLogger(__name__)


def _log(message: str) -> None:
    log.error("%s", one_line(message))


class _OverBudget(Exception):
    """The time budget ran out between two engine chunks."""


class _Guard:
    """Pure-ASGI middleware: metrics for every request, one Authorization header, bearer token, body-size
    limit, and the last word on any error (one JSON line to the client, one line in the log, no traceback).

    The body of a POST is read here (at most `max_body` bytes, whatever Content-Length says)
    and replayed to the app, so an oversized body is refused with 413 before any parsing.
    """

    def __init__(self, app: Any, *, metrics: Metrics, token: bytes | None, max_body: int) -> None:
        self.app = app
        self.metrics = metrics
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        path = scope["path"]
        status = [500]
        started = [False]

        async def send_status(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                started[0] = True
            await send(message)

        try:
            await self._handle(scope, receive, send_status)
        except Exception as exc:  # noqa: BLE001 - the one place a request's failure is reported
            _log(f"{scope['method']} {path}: {type(exc).__name__}: {exc}")
            if not started[0]:
                await _error(500, "internal error")(scope, receive, send_status)
        finally:
            self.metrics.observe_request(path, scope["method"], status[0], time.perf_counter() - start)

    async def _handle(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        auth = [v for k, v in scope["headers"] if k == b"authorization"]
        if len(auth) > 1:
            await _error(400, "more than one Authorization header")(scope, receive, send)
            return
        if self.token is not None and scope["path"] not in OPEN_PATHS:
            problem = self._auth_problem(auth[0] if auth else None)
            if problem:
                await _error(401, problem, {"WWW-Authenticate": 'Bearer realm="confuguard"'})(scope, receive, send)
                return
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        length = [v for k, v in scope["headers"] if k == b"content-length"]
        body = await self._read_body(length, receive)
        if isinstance(body, Response):
            await body(scope, receive, send)
            return
        replayed = False

        async def replay() -> MutableMapping[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            message: MutableMapping[str, Any] = await receive()
            return message

        await self.app(scope, replay, send)

    def _auth_problem(self, header: bytes | None) -> str | None:
        assert self.token is not None
        if not header:
            return "missing bearer token (send Authorization: Bearer <token>)"
        scheme, _, given = header.partition(b" ")
        if scheme.lower() != b"bearer" or not given.strip():
            return "the Authorization header must be: Bearer <token>"
        if not hmac.compare_digest(given.strip(), self.token):
            return "invalid bearer token"
        return None

    async def _read_body(self, length: list[bytes], receive: Any) -> bytes | Response:
        too_big = f"request body is over the limit of {self.max_body} bytes"
        if length:
            if len(set(length)) > 1:
                return _error(400, "conflicting Content-Length headers")
            try:
                declared = int(length[0])
            except ValueError:
                return _error(400, "invalid Content-Length header")
            if declared > self.max_body:
                return _error(413, too_big)
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return _error(400, "client disconnected before sending the body")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return _error(413, too_big)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _validation_message(exc: RequestValidationError) -> tuple[int, str]:
    """Status and one-line message for a request FastAPI/pydantic could not turn into the model."""
    errors = exc.errors()
    for e in errors:
        if e.get("type") == "json_invalid":
            detail = (e.get("ctx") or {}).get("error")
            return 400, "request body is not valid JSON" + (f": {detail}" if detail else "")
    first = errors[0] if errors else {}
    loc = [str(p) for p in first.get("loc", ()) if p != "body"]
    kind = first.get("type")
    if kind == "string_unicode":  # a key pydantic could not read (a lone surrogate)
        return 422, "a key or value is not valid Unicode text (lone surrogate)"
    if not loc:
        if kind == "missing":
            return 400, "request body is missing (send a JSON object)"
        if kind == "value_error":  # a rule across fields (BatchRequest._shape)
            return 422, str(first.get("msg", "invalid request")).removeprefix("Value error, ")
        return 400, "request body must be a JSON object"
    where = loc[0] + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in loc[1:])
    msg = str(first.get("msg", "invalid value"))
    msg = msg.removeprefix("Value error, ")
    if first.get("type") == "extra_forbidden":
        msg = "unknown field"
    return 422, f"{where}: {msg}"


#: A JSON body without Content-Type is read as JSON (other types get 415); older FastAPI always did.
_LENIENT: dict[str, Any] = (
    {"strict_content_type": False} if "strict_content_type" in inspect.signature(FastAPI.__init__).parameters else {}
)


def create_app(
    engine: Checker,
    *,
    token: str | None = None,
    limits: Limits | None = None,
    warm: Iterable[Ecosystem] | None = None,
    ui: Callable[[int], str | None] | None = None,
) -> FastAPI:
    """The service app around `engine`.

    `warm` lists the registries loaded at start-up (default: all) in a background thread
    started by the app's lifespan; `/readyz` and the check endpoints answer 503 until it is
    done. Other registries load on their first request. `token` (None: no authentication)
    is the bearer token; `limits` the per-request budgets and the concurrency limits; `ui`, when
    given, renders the analyst's page of an alert id (None: no such alert) for `GET /ui/alerts/{id}`.
    Its log goes to stderr (`confuguard.logs`) unless the caller configured it.
    """
    if not logs.configured():
        logs.configure()
    svc = _Service(engine, limits or Limits(), list(Ecosystem) if warm is None else list(dict.fromkeys(warm)))
    app = _new_app(svc, token)
    _add_error_handlers(app)
    _add_check_routes(app, svc)
    _add_status_routes(app, svc)
    if ui is not None:
        _add_ui_route(app, svc, ui)
    app.add_middleware(_Guard, metrics=svc.metrics, token=None if token is None else token.encode(),
                       max_body=svc.limits.max_body)
    return app


class _Service:
    """What the endpoints share: the engine, its warm-up, the budgets, admission and metrics."""

    def __init__(self, engine: Checker, limits: Limits, to_warm: list[Ecosystem]) -> None:
        self.engine = engine
        self.limits = limits
        self.to_warm = to_warm
        self.metrics = Metrics()
        self.gate = Admission(limits)
        self.ready = threading.Event()
        self.state: dict[str, Any] = {"error": None, "thread": None}

    @property
    def described(self) -> str:
        """The budgets, in words, for the API description."""
        lim = self.limits
        return (f"At most {lim.max_batch} names per batch, {lim.max_name} characters per name and "
                f"{lim.max_body} bytes per request body; {lim.time_budget:g} s per request.")

    def warm_up(self) -> None:
        """Load the registries to warm, then check each one's near-miss probe (loads what the engine keeps
        lazily, such as lexicons); a failure keeps the service unready, with the reason."""
        started = time.perf_counter()
        try:
            self.engine.warm(self.to_warm)
            for eco in self.to_warm:
                self.engine.check_names([spec(eco).probe], eco)
        except Exception as exc:  # noqa: BLE001 - any failure keeps the service unready, with the reason
            self.state["error"] = one_line(f"{type(exc).__name__}: {exc}")
            _log(f"warming the engine failed: {exc}")
            return
        self.state["warm_seconds"] = round(time.perf_counter() - started, 3)
        self.ready.set()

    def not_ready(self) -> JSONResponse | None:
        """The 503 to answer while the engine is not ready, or None."""
        if self.ready.is_set():
            return None
        if self.state["error"]:
            return _error(503, f"the engine failed to load: {self.state['error']}")
        return _error(503, "the engine is still loading; retry shortly", {"Retry-After": "1"})

    def run_checks(self, endpoint: str, pairs: list[tuple[Ecosystem, str]], deadline: float) -> list[ResultDoc]:
        """Check `pairs` a chunk at a time, stopping with _OverBudget once `deadline` (monotonic) is past."""
        started = time.perf_counter()

        def in_budget(done: int) -> None:
            if time.monotonic() > deadline:
                raise _OverBudget(f"the time budget of {self.limits.time_budget:g} s ran out after {done} of "
                                  f"{len(pairs)} names; send smaller batches")

        final = check_pairs(self.engine, pairs, chunk=self.limits.chunk, before_chunk=in_budget)
        self.metrics.observe_checks(endpoint, final, time.perf_counter() - started)
        return [result_dict(r) for r in final]

    async def admitted(self, request: Request, endpoint: str, pairs: list[tuple[Ecosystem, str]],
                       where: list[str]) -> Response:
        """Budget checks, a slot of the request's lane, the engine in a worker thread."""
        deadline = asyncio.get_running_loop().time() + self.limits.time_budget  # loop.time() is time.monotonic()
        busy = self.not_ready()
        if busy is not None:
            return busy
        for label, (_, name) in zip(where, pairs):
            if len(name) > self.limits.max_name:
                return _error(422, f"{label}: {len(name)} characters, over the limit of {self.limits.max_name}")
        lane = self.gate.lane([n for _, n in pairs])
        client = request.client.host if request.client else "unknown"
        refusal = await self.gate.enter(lane, client, deadline)
        if refusal is not None:
            return _error(*refusal, {"Retry-After": "1"})
        try:
            results = await anyio.to_thread.run_sync(self.run_checks, endpoint, pairs, deadline)
        except _OverBudget as exc:
            self.gate.refused["time"] += 1
            return _error(504, str(exc))
        finally:
            self.gate.leave(lane, client)
        return JSONResponse(results[0] if endpoint == "/v1/check" else {"results": results})


def _new_app(svc: _Service, token: str | None) -> FastAPI:
    """The FastAPI app with its description, and the warm-up started by its lifespan."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        thread = threading.Thread(target=svc.warm_up, name="confuguard-warm", daemon=True)
        svc.state["thread"] = thread
        thread.start()
        yield

    app = FastAPI(
        title="confuguard",
        version=__version__,
        description="Package-confusion (typosquatting) detection for "
        + ", ".join(s.title for s in specs()) + ". "
        "Check results are the objects of `confuguard check --format json`. " + svc.described
        + (" Every path except /healthz, /readyz and /openapi.json needs `Authorization: Bearer <token>`."
           if token else ""),
        lifespan=lifespan,
        **_LENIENT,
        docs_url=None,
        redoc_url=None,
    )
    app.state.engine = svc.engine
    app.state.metrics = svc.metrics
    app.state.ready = svc.ready
    app.state.warm_state = svc.state
    app.state.limits = svc.limits
    app.state.admission = svc.gate
    return app


def _add_error_handlers(app: FastAPI) -> None:
    """Every error a one-line JSON body: validation (400/415/422), HTTP errors, engine errors (422/503)."""

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype and ctype != "application/json" and not ctype.endswith("+json"):
            return _error(415, f"Content-Type must be application/json, not {ctype}")
        status, message = _validation_message(exc)
        return _error(status, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = str(exc.detail)
        if exc.status_code == 400 and detail == "There was an error parsing the body":  # FastAPI's words
            detail = "request body is not valid JSON (bad UTF-8, nesting too deep or a number too long)"
        return _error(exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(ConfuguardError)
    async def _engine_error(request: Request, exc: ConfuguardError) -> JSONResponse:
        if isinstance(exc, InputError):
            return _error(422, str(exc))
        _log(f"{request.method} {request.url.path}: {exc}")
        return _error(503, str(exc))  # data or model trouble on the server's side: not the client's fault


_ERRORS: dict[int | str, dict[str, Any]] = {status: {"model": ErrorOut} for status in (400, 401, 413, 415, 422, 429, 503, 504)}


def _add_check_routes(app: FastAPI, svc: _Service) -> None:
    """POST /v1/check and /v1/check/batch."""

    @app.post("/v1/check", response_model=CheckResultOut, responses=_ERRORS,
              summary="Check one name", description="The same JSON as `confuguard check --format json NAME`.")
    async def check(body: CheckRequest, request: Request) -> Response:
        return await svc.admitted(request, "/v1/check", [(body.registry, body.name)], ["name"])

    @app.post("/v1/check/batch", response_model=BatchOut, responses=_ERRORS,
              summary="Check many names",
              description=f"Results in request order. {svc.described} Over the batch limit: 413.")
    async def check_batch(body: BatchRequest, request: Request) -> Response:
        pairs = body.pairs()
        if len(pairs) > svc.limits.max_batch:
            return _error(413, f"batch of {len(pairs)} names is over the limit of {svc.limits.max_batch}")
        field = "names" if body.names is not None else "items"
        where = [f"{field}[{i}]" + ("" if field == "names" else ".name") for i in range(len(pairs))]
        return await svc.admitted(request, "/v1/check/batch", pairs, where)


def _add_status_routes(app: FastAPI, svc: _Service) -> None:
    """GET /healthz, /readyz and /metrics."""
    gate = svc.gate

    @app.get("/healthz", summary="Liveness: 200 while the process serves")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", summary="Readiness: 200 once the engine is loaded and the service not saturated, else 503",
             responses={503: {"description": "still loading, loading failed, or saturated"}})
    async def readyz() -> JSONResponse:
        warming = [e.value for e in svc.to_warm]
        if svc.ready.is_set():
            load = {"in_flight": {lane: gate.busy[lane] for lane in LANES},
                    "queued": {lane: gate.waiting[lane] for lane in LANES}}
            if gate.saturated():
                return JSONResponse({"status": "saturated", **load}, status_code=503, headers={"Retry-After": "1"})
            return JSONResponse({"status": "ready", "registries": warming,
                                 "warm_seconds": svc.state.get("warm_seconds"), **load})
        if svc.state["error"]:
            return JSONResponse({"status": "failed", "error": svc.state["error"]}, status_code=503)
        return JSONResponse({"status": "warming", "registries": warming}, status_code=503,
                            headers={"Retry-After": "1"})

    @app.get("/metrics", summary="Prometheus metrics (text exposition format 0.0.4)",
             response_class=Response, responses={200: {"content": {CONTENT_TYPE: {}}}})
    async def metrics_endpoint() -> Response:
        text = svc.metrics.render(ready=svc.ready.is_set(),
                                  info={"version": __version__, "schema_version": str(SCHEMA_VERSION)},
                                  lanes={lane: (gate.busy[lane], gate.waiting[lane]) for lane in LANES},
                                  refused=dict(gate.refused))
        return Response(text, media_type=CONTENT_TYPE)


def _add_ui_route(app: FastAPI, svc: _Service, ui: Callable[[int], str | None]) -> None:
    """GET /ui/alerts/{id}: the analyst's page of one stored alert, in the light lane."""
    from confuguard.formats.html import CSP

    @app.get("/ui/alerts/{alert_id}", response_class=HTMLResponse, include_in_schema=False)
    async def alert_ui(alert_id: int, request: Request) -> Response:
        busy = svc.not_ready()
        if busy is not None:
            return busy
        client = request.client.host if request.client else "unknown"
        deadline = asyncio.get_running_loop().time() + svc.limits.time_budget
        refusal = await svc.gate.enter("light", client, deadline)
        if refusal is not None:
            return _error(*refusal, {"Retry-After": "1"})
        try:
            text = await anyio.to_thread.run_sync(ui, alert_id)
        finally:
            svc.gate.leave("light", client)
        if text is None:
            return _error(404, f"no alert {alert_id}")
        return HTMLResponse(text, headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                                           "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

"""A reference claims service: FastAPI over an event store, every answer from rtaprotocol.

Run it (README.md): ``uvicorn app:app --app-dir examples/portal_service``. Settings come
from the environment: ``PORTAL_DATABASE_URL`` (default ``sqlite:///portal.db``; or
``postgresql://user:pass@host/db`` with psycopg installed) and ``PORTAL_MAX_BODY`` (bytes,
default 1 MiB).
"""

from __future__ import annotations

import os
import uuid
from collections import OrderedDict
from datetime import date
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException
from store import Conflict, Store, report_body

from rtaprotocol import json as rjson
from rtaprotocol.claim import Claim
from rtaprotocol.errors import ConcurrencyError, RulesError
from rtaprotocol.json import read_date
from rtaprotocol.report import Injuries
from rtaprotocol.schemas import schema_names, schema_text

MAX_BODY = int(os.environ.get("PORTAL_MAX_BODY", str(1024 * 1024)))
store = Store(os.environ.get("PORTAL_DATABASE_URL", "sqlite:///portal.db"))
app = FastAPI(title="rtaprotocol portal service", openapi_url=None, docs_url=None)
#: Reports on other dates (``?on=``) and HTML views kept per worker, keyed by (claim,
#: version, date, html): a claim's report on a date never changes once the version is fixed.
REPORT_CACHE = 10_000
_reports: OrderedDict[tuple[str, int, date, bool], str] = OrderedDict()


class Problem(Exception):
    """An HTTP refusal that is not the library's (unknown claim, wrong content type...)."""

    def __init__(self, status: int, code: str, detail: str, **extra: Any) -> None:
        self.status, self.code, self.detail, self.extra = status, code, detail, extra


def _problem(status: int, code: str, title: str, detail: str, **extra: Any) -> Response:
    doc = {
        "type": f"urn:rtaprotocol:error:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    return Response(rjson.dumps(doc), status, media_type="application/problem+json")


@app.exception_handler(RulesError)
def _rules_error(request: Request, err: RulesError) -> Response:
    doc = err.to_problem()
    response = Response(rjson.dumps(doc), doc["status"], media_type="application/problem+json")  # type: ignore[arg-type]
    if isinstance(err, ConcurrencyError):
        response.headers["ETag"] = f'"{err.current}"'
    return response


@app.exception_handler(Problem)
def _service_problem(request: Request, err: Problem) -> Response:
    return _problem(err.status, err.code, err.code, err.detail, **err.extra)


@app.exception_handler(HTTPException)
def _http_error(request: Request, err: HTTPException) -> Response:
    return _problem(err.status_code, f"http.{err.status_code}", str(err.detail), str(err.detail))


@app.exception_handler(RequestValidationError)
def _validation_error(request: Request, err: RequestValidationError) -> Response:
    return _problem(400, "http.bad-request", "bad request", "the request is malformed")


@app.exception_handler(Exception)
def _crash(request: Request, err: Exception) -> Response:  # never a traceback to the client
    return _problem(500, "http.500", "internal error", "the service failed; nothing was stored")


# --- reading a request ---------------------------------------------------------------------


async def _body(request: Request) -> Any:
    """Return the JSON body, bounded, read by the library's safe reader."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise Problem(
            415, "http.unsupported-media-type", f"expected application/json, got {kind!r}"
        )
    length = request.headers.get("content-length", "0")
    if not length.isdigit() or int(length) > MAX_BODY:
        raise Problem(413, "json.too-large", f"the body is over the {MAX_BODY}-byte limit")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise Problem(413, "json.too-large", f"the body is over the {MAX_BODY}-byte limit")
        chunks.append(chunk)
    return rjson.loads(b"".join(chunks), max_bytes=MAX_BODY)


def _date(request: Request, name: str, default: date | None = None) -> date:
    text = request.query_params.get(name)
    if text is None and default is not None:
        return default
    if text is None:
        raise Problem(400, "field.missing", f"?{name}= is required", pointer=f"/{name}")
    try:
        return read_date(text, field=name)
    except RulesError as err:  # a query parameter: 400, not the body's 422
        raise Problem(400, err.code.value, str(err), pointer=err.pointer, value=text) from None


def _int(request: Request, name: str, default: int | None, top: int = 10**6) -> int | None:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not (text.isdigit() and text.isascii() and len(text) <= 7 and int(text) <= top):
        raise Problem(
            400,
            "integer.invalid",
            f"?{name}= must be a whole number up to {top}",
            pointer=f"/{name}",
            value=text,
        )
    return int(text)


def _key(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is not None and not (0 < len(key) <= 200 and key.isprintable()):
        raise Problem(400, "http.idempotency-key", "Idempotency-Key: 1 to 200 printable characters")
    return key


def _claim(claim_id: str) -> Claim:
    claim = store.load(claim_id) if len(claim_id) <= 64 else None
    if claim is None:
        raise Problem(404, "claim.not-found", "no such claim", value=claim_id)
    return claim


def _written(claim_id: str, version: int, status: int, replayed: bool = False) -> Response:
    headers = {"ETag": f'"{version}"', "Location": f"/claims/{claim_id}"}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    body = {"claim_id": claim_id, "version": version}
    return Response(rjson.dumps(body), status, headers, media_type="application/json")


def _json(value: Any, claim: Claim | None = None) -> Response:
    headers = {} if claim is None else {"ETag": f'"{claim.version}"'}
    return Response(rjson.dumps(value), 200, headers, media_type="application/json")


# --- the endpoints ---------------------------------------------------------------------------


@app.post("/claims")
async def submit(request: Request) -> Response:
    """Submit a claim: the body is the ``submitted`` event (facts, whiplash, losses...)."""
    event = await _body(request)
    injuries = None
    if isinstance(event, dict):
        if "injuries" in event:  # the injuries to value in the report (guide 4.4)
            injuries = Injuries.from_dict(event.pop("injuries"))
        event.setdefault("kind", "submitted")
        if event["kind"] != "submitted":
            raise Problem(
                422,
                "claim.not-submitted",
                "a new claim starts with its submission",
                pointer="/kind",
                value=event["kind"],
            )
    claim = Claim().apply(event)
    key = _key(request)
    claim_id = store.create(uuid.uuid4().hex, claim, key, injuries)
    return _written(claim_id, 1, 201)


@app.post("/claims/{claim_id}/events")
async def append(claim_id: str, request: Request) -> Response:
    """Append one event at the version named by If-Match (409 if another writer was first)."""
    match = request.headers.get("if-match", "").removeprefix("W/").strip('"')
    if not (match.isdigit() and match.isascii() and len(match) < 10):
        raise Problem(
            428,
            "http.precondition-required",
            'If-Match: "<version>" is required (the version the event was decided on)',
        )
    event = await _body(request)
    claim = _claim(claim_id)
    key = _key(request)
    if key is not None:
        done = store.idempotent(claim_id, key)
        if done is not None:
            return _written(claim_id, done, 201, replayed=True)
        if isinstance(event, dict):
            event.setdefault("event_id", key)  # the library refuses the key reused elsewhere
    new = claim.apply(event, expected_version=int(match))
    if new is claim:  # the library found the event_id already applied: a retry
        return _written(claim_id, claim.version, 201, replayed=True)
    try:
        await store.append(claim_id, claim, new, key)
    except Conflict:
        current = _claim(claim_id).version
        raise ConcurrencyError(expected=int(match), current=current) from None
    return _written(claim_id, new.version, 201)


@app.get("/claims/{claim_id}")
async def report(claim_id: str, request: Request) -> Response:
    """Return the claim's report on ``?on=`` (default: the date of its last event).

    Without ``?on=`` the report is a function of the version alone: it is read from the
    read model (one indexed read, no replay, no encoding; built by the first read after
    each append), and a client holding it revalidates with ``If-None-Match:
    "<version>"`` (304).
    """
    html = "text/html" in request.headers.get("accept", "")
    stored = None
    if "on" not in request.query_params and len(claim_id) <= 64:
        stored = store.report(claim_id)
    if stored is not None:
        version, body = stored
        headers = {"ETag": f'"{version}"', "Vary": "Accept"}
        if request.headers.get("if-none-match") == headers["ETag"]:
            return Response(status_code=304, headers=headers)
        if not html:
            return Response(body, 200, headers, media_type="application/json")
    claim = _claim(claim_id)
    etag = f'"{claim.version}"'
    headers = {"ETag": etag, "Vary": "Accept"}
    if "on" not in request.query_params and request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    if "on" not in request.query_params and not html:  # the read model's row, rebuilt
        text = report_body(claim_id, claim, store.injuries(claim_id))
        store.keep_report(claim_id, claim.version, text)
        return Response(text, 200, headers, media_type="application/json")
    on = _date(request, "on", claim.history[-1].on)
    key = (claim_id, claim.version, on, html)
    text = _reports.get(key)
    if text is None:
        result = claim.report(on, injuries=store.injuries(claim_id))
        if html:
            text = result._repr_html_()
        else:
            text = rjson.dumps({"claim_id": claim_id, "version": claim.version, **result.to_dict()})
        _reports[key] = text
        while len(_reports) > REPORT_CACHE:
            _reports.popitem(last=False)
    media = "text/html" if html else "application/json"
    return Response(text, 200, headers, media_type=media)


@app.get("/claims/{claim_id}/next-steps")
def next_steps(claim_id: str, request: Request) -> Response:
    """Return what each party may do on ``?on=`` and its open deadlines."""
    claim = _claim(claim_id)
    return _json(claim.next_steps(_date(request, "on")).to_dict(), claim)


@app.get("/claims/{claim_id}/payment")
def payment(claim_id: str, request: Request) -> Response:
    """Return what the settled (else latest) offer, or offer ``?offer=N``, pays."""
    claim = _claim(claim_id)
    return _json(claim.payment(offer=_int(request, "offer", None, top=99)).to_dict(), claim)


@app.get("/overdue")
def overdue(request: Request) -> Response:
    """Open deadlines past due on ``?on=`` across every claim, ``?limit=`` at a time."""
    on = _date(request, "on")
    limit = _int(request, "limit", 100, top=1000) or 100
    offset = _int(request, "offset", 0) or 0
    rows = store.overdue(on.isoformat(), limit + 1, offset)
    items = [{"claim_id": c, "deadline": rjson.loads(d)} for c, d in rows[:limit]]
    more = f"/overdue?on={on}&limit={limit}&offset={offset + limit}" if len(rows) > limit else None
    return _json({"on": on, "items": items, "next": more})


@app.get("/schemas/{name}")
def schema(name: str) -> Response:
    """Return the library's JSON Schema ``name`` as shipped."""
    if name not in schema_names():
        raise Problem(
            404,
            "schema.not-found",
            "no such schema; known: " + ", ".join(schema_names()),
            value=name[:100],
        )
    return Response(schema_text(name), media_type="application/schema+json")


@app.get("/healthz")
def healthz() -> Response:
    """Answer 200 when the database answers."""
    store.query("SELECT 1")
    return _json({"status": "ok"})

"""The reference claims service (examples/portal_service/, issue 27), over real HTTP.

Each test drives a real uvicorn process on a loopback socket with httpx: the service is
a thin caller of the library, so what it answers must be what the library answers
(guide 6.1 to 6.6 through :class:`rtaprotocol.claim.Claim`), its refusals the library's
problems as RFC 9457 documents, its writes durable (SQLite WAL, synchronous=FULL).
"""

from __future__ import annotations

import contextlib
import copy
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from rtaprotocol import json as rjson
from rtaprotocol.claim import Claim

ROOT = Path(__file__).resolve().parent.parent
APP_DIR = ROOT / "examples" / "portal_service"
sys.path.insert(0, str(APP_DIR))
import sample  # noqa: E402  (examples/portal_service/sample.py)

from test_json import HOSTILE  # noqa: E402  (the library's hostile documents)

PROBLEM = "application/problem+json"


class Service:
    """A uvicorn process serving the app on a socket bound to 127.0.0.1 (race-free)."""

    def __init__(self, db: Path) -> None:
        self.db = db
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        env = dict(os.environ, PORTAL_DATABASE_URL=f"sqlite:///{db}", PORTAL_MAX_BODY="65536")
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
        self.log = db.parent / f"uvicorn-{sock.getsockname()[1]}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "app:app",
                    "--app-dir",
                    str(APP_DIR),
                    "--fd",
                    str(sock.fileno()),
                    "--log-level",
                    "warning",
                ],
                env=env,
                pass_fds=(sock.fileno(),),
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        sock.close()
        self.client = httpx.Client(base_url=self.url, timeout=10)
        deadline = time.monotonic() + 30
        while True:
            try:
                if self.client.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the service did not start: {self.stderr()}")
            time.sleep(0.05)

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]

    def stop(self, sig: int = signal.SIGTERM) -> None:
        self.client.close()
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    running = Service(tmp_path_factory.mktemp("portal") / "portal.db")
    yield running
    running.stop()
    assert "Traceback" not in running.stderr()


def submit(client: httpx.Client, body: dict[str, Any] | None = None, **headers: str) -> str:
    r = client.post("/claims", json=body or sample.SUBMISSION, headers=headers)
    assert r.status_code == 201, r.text
    return str(r.json()["claim_id"])


def append(
    client: httpx.Client, claim_id: str, event: dict[str, Any], version: int
) -> httpx.Response:
    return client.post(
        f"/claims/{claim_id}/events", json=event, headers={"If-Match": f'"{version}"'}
    )


def stored_events(db: Path, claim_id: str) -> list[tuple[int, str]]:
    # closing(): a connection's own "with" only ends the transaction; Python 3.13 warns
    # (ResourceWarning) when a connection is collected unclosed.
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT version, event FROM events WHERE claim_id = ? ORDER BY version", (claim_id,)
        )
        return [(int(v), str(e)) for v, e in rows]


def assert_problem(r: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """Check ``r`` is an RFC 9457 problem document of ``status`` (and ``code``, if given)."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    doc: dict[str, Any] = rjson.loads(r.content)
    assert doc["status"] == status, doc
    assert code is None or doc["code"] == code, doc
    assert doc["type"].startswith("urn:rtaprotocol:error:")
    assert doc["title"]
    assert doc["detail"]
    assert "Traceback" not in r.text
    return doc


# --- a whole claim --------------------------------------------------------------------------


def test_a_whole_claim_from_submission_to_payment(service: Service) -> None:
    """Submitted, admitted, medical, offer, accepted, paid (guide 6.2 to 6.6), each event
    appended at the version the client read (ETag / If-Match); the report, next steps and
    payment are the library's answers for the replayed events, JSON and HTML."""
    c = service.client
    claim_id = submit(c)
    r = c.get(f"/claims/{claim_id}")
    assert r.headers["etag"] == '"1"'
    assert r.json()["version"] == 1
    steps = c.get(f"/claims/{claim_id}/next-steps", params={"on": "2023-05-03"}).json()
    assert "liability-response" in steps["parties"]["compensator"]["actions"]
    for version, event in enumerate(sample.EVENTS, 1):
        r = append(c, claim_id, event, version)
        assert r.status_code == 201, r.text
        assert r.json() == {"claim_id": claim_id, "version": version + 1}
        assert r.headers["etag"] == f'"{version + 1}"'
    expected = Claim.replay([{"kind": "submitted", **sample.SUBMISSION}, *sample.EVENTS])
    got = c.get(f"/claims/{claim_id}", params={"on": "2023-07-04"})
    assert got.status_code == 200
    report = rjson.loads(got.content)
    assert report.pop("claim_id") == claim_id
    assert report.pop("version") == expected.version
    assert report == rjson.loads(rjson.dumps(expected.report(sample_day("2023-07-04")).to_dict()))
    paid = c.get(f"/claims/{claim_id}/payment").json()
    assert paid == rjson.loads(rjson.dumps(expected.payment().to_dict()))
    assert paid["total"] == "2200.00"  # 2300 offered less the 100 paid on interim (6.3.1.4)
    assert c.get(f"/claims/{claim_id}/payment", params={"offer": 1}).json() == paid
    again = c.get(f"/claims/{claim_id}", headers={"If-None-Match": got.headers["etag"]})
    assert again.status_code == 304  # the same version: the report the client holds
    assert again.headers["etag"] == f'"{expected.version}"'
    html = c.get(f"/claims/{claim_id}", headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    assert html.text == expected.report(expected.history[-1].on)._repr_html_()
    nxt = c.get(f"/claims/{claim_id}/next-steps", params={"on": "2023-07-04"})
    assert nxt.json() == rjson.loads(
        rjson.dumps(expected.next_steps(sample_day("2023-07-04")).to_dict())
    )


def test_the_read_model_answers_the_current_version_only(service: Service) -> None:
    """GET /claims/{id} without ?on= is answered from the stored report (the read model),
    built by the first read after each append and removed by the next append: every
    answer, first or repeated, is the library's report for the claim's current version."""
    c = service.client
    claim_id = submit(c)
    path = [{"kind": "submitted", **sample.SUBMISSION}]
    for version, event in enumerate(sample.EVENTS[:4], 1):
        assert append(c, claim_id, event, version).status_code == 201
        path.append(event)
        expected = Claim.replay(path)
        want = rjson.loads(rjson.dumps(expected.report(expected.history[-1].on).to_dict()))
        for _ in range(3):  # built, then (once stored) read back
            got = rjson.loads(c.get(f"/claims/{claim_id}").content)
            assert (got.pop("claim_id"), got.pop("version")) == (claim_id, expected.version)
            assert got == want
            time.sleep(0.05)  # the row follows the answer, with the next group commit
    rows = sqlite3.connect(service.db)
    try:
        stored = rows.execute(
            "SELECT version FROM reports WHERE claim_id = ?", (claim_id,)
        ).fetchall()
    finally:
        rows.close()
    assert stored == [(5,)]


def test_injuries_submitted_with_the_claim_are_valued_in_its_report(service: Service) -> None:
    """POST /claims takes the injuries (Injuries.from_dict, guide 4.4) beside the submitted
    event: the report values them (8 months of whiplash: WIR 2021 Table 1, £840), a bad
    document is refused with each problem at its pointer, and nothing is stored."""
    c = service.client
    body = {**sample.SUBMISSION, "injuries": {"whiplash": {"months": 8}}}
    r = c.post("/claims", json=body)
    assert r.status_code == 201, r.text
    report = c.get(f"/claims/{r.json()['claim_id']}").json()
    assert report["valuation"]["tariff"]["amount"] == "840.00"
    bad = {**sample.SUBMISSION, "injuries": {"whiplash": {"months": 7.5}, "overlap": "-1"}}
    doc = assert_problem(c.post("/claims", json=bad), 422, "input.invalid")
    assert [p["pointer"] for p in doc["problems"]] == [
        "/injuries/whiplash/months",
        "/injuries/overlap",
    ]


def sample_day(text: str) -> Any:
    from datetime import date

    return date.fromisoformat(text)


def test_overdue_across_claims_is_paginated(service: Service) -> None:
    """GET /overdue lists each claim's open deadlines due before ?on= from the due-date
    index, a page at a time: a claim submitted 2 May 2023 with no liability response is
    overdue from 16 June 2023 (30 business days, guide 6.3.1), one answered is not."""
    c = service.client
    body = copy.deepcopy(sample.SUBMISSION)
    waiting = [submit(c, body) for _ in range(3)]
    answered = submit(c, body)
    assert append(c, answered, sample.EVENTS[0], 1).status_code == 201
    on_the_day = c.get("/overdue", params={"on": "2023-06-15", "limit": 1000}).json()["items"]
    assert not {i["claim_id"] for i in on_the_day} & set(waiting)  # due that day: not yet late
    seen: list[str] = []
    url: str | None = "/overdue?on=2023-06-16&limit=2"
    while url is not None:
        page = c.get(url).json()
        assert len(page["items"]) <= 2
        seen += [
            i["claim_id"] for i in page["items"] if i["deadline"]["name"] == "liability response"
        ]
        url = page["next"]
    assert set(waiting) <= set(seen)
    assert answered not in seen
    assert len(seen) == len(set(seen))


# --- errors -----------------------------------------------------------------------------------


def test_every_error_class_is_a_problem_document(service: Service) -> None:
    """Bad JSON, oversized bodies, unknown fields, wrong types, wrong content types, a
    missing or stale If-Match, an unknown claim, schema or route, bad query values and an
    ineligible claim each get a 4xx RFC 9457 document carrying the library's problems
    (pointer, code, reference), never a 500 or a traceback."""
    c = service.client
    claim_id = submit(c)
    events = f"/claims/{claim_id}/events"
    json_ = {"content-type": "application/json"}
    assert_problem(c.post("/claims", content=b"{", headers=json_), 400, "json.syntax")
    assert_problem(c.post("/claims", content=b"x" * 70_000, headers=json_), 413, "json.too-large")
    assert_problem(
        c.post("/claims", content=b"{}", headers={"content-type": "text/plain"}),
        415,
        "http.unsupported-media-type",
    )
    assert_problem(c.post("/claims", content=b"{}"), 415, "http.unsupported-media-type")
    doc = assert_problem(
        c.post("/claims", json={**sample.SUBMISSION, "colour": "red"}), 422, "field.unknown"
    )
    assert doc["pointer"] == "/colour"
    assert doc["problems"][0]["reference"]
    bad = {**sample.SUBMISSION, "whiplash": "yes", "on": "2023-02-30"}
    doc = assert_problem(c.post("/claims", json=bad), 422, "input.invalid")
    assert {p["pointer"] for p in doc["problems"]} >= {"/whiplash", "/on"}
    facts = {**sample.FACTS, "accident_location": "scotland", "claimant_bankrupt": True}
    doc = assert_problem(
        c.post("/claims", json={**sample.SUBMISSION, "facts": facts}), 422, "claim.ineligible"
    )
    # every failing criterion (guide 4.1, 4.2), not only the first, each at its fact
    assert doc["value"] == ["accident_outside_england_and_wales", "claimant_bankrupt"]
    assert [(p["pointer"], p["code"], p["value"]) for p in doc["problems"]] == [
        ("/facts/accident_location", "claim.ineligible", "accident_outside_england_and_wales"),
        ("/facts/claimant_bankrupt", "claim.ineligible", "claimant_bankrupt"),
    ]
    assert_problem(c.post(events, json=sample.EVENTS[0]), 428, "http.precondition-required")
    assert_problem(append(c, claim_id, sample.EVENTS[0], 7), 409, "claim.version-conflict")
    assert_problem(append(c, "nope", sample.EVENTS[0], 1), 404, "claim.not-found")
    doc = assert_problem(append(c, claim_id, sample.EVENTS[5], 1), 422)
    assert doc["title"] == "ProtocolViolation"
    assert doc["reference"].startswith("guide")
    assert_problem(append(c, claim_id, [1, 2], 1), 422)
    assert_problem(c.get(f"/claims/{claim_id}/next-steps"), 400, "field.missing")
    assert_problem(c.get(f"/claims/{claim_id}/next-steps?on=2023-5-3"), 400, "date.format")
    assert_problem(c.get(f"/claims/{claim_id}/next-steps?on=2023-02-29"), 400, "date.no-such-day")
    assert_problem(c.get("/overdue?on=1999-12-31"), 400, "coverage.out-of-range")
    assert_problem(c.get(f"/claims/{claim_id}/payment?offer=-1"), 400, "integer.invalid")
    assert_problem(c.get("/overdue?on=tomorrow"), 400, "date.format")
    assert_problem(c.get("/overdue?on=2023-06-16&limit=100000"), 400, "integer.invalid")
    # a date before the claim's last event: the library's one refusal (issue 24)
    assert c.get(f"/claims/{claim_id}?on=2023-05-01").status_code == 422
    assert_problem(c.get("/schemas/nope"), 404, "schema.not-found")
    assert_problem(c.get("/nowhere"), 404, "http.404")
    assert_problem(c.delete("/claims"), 405, "http.405")
    assert_problem(c.get(f"/claims/{'x' * 100}"), 404, "claim.not-found")


def test_a_retried_request_is_answered_once(service: Service) -> None:
    """An Idempotency-Key makes a retry (a lost reply) safe: the same answer, no second
    event; the key reused for another event is refused by the library (event-id.reused)."""
    c = service.client
    first = c.post("/claims", json=sample.SUBMISSION, headers={"Idempotency-Key": "sub-1"})
    again = c.post("/claims", json=sample.SUBMISSION, headers={"Idempotency-Key": "sub-1"})
    assert first.json() == again.json()
    claim_id = first.json()["claim_id"]
    headers = {"If-Match": '"1"', "Idempotency-Key": "ev-1"}
    one = c.post(f"/claims/{claim_id}/events", json=sample.EVENTS[0], headers=headers)
    two = c.post(f"/claims/{claim_id}/events", json=sample.EVENTS[0], headers=headers)
    assert one.status_code == two.status_code == 201
    assert one.json() == two.json()
    assert two.headers["idempotent-replayed"] == "true"
    assert len(stored_events(service.db, claim_id)) == 2
    headers = {"If-Match": '"2"', "Idempotency-Key": "k" * 201}
    r = c.post(f"/claims/{claim_id}/events", json=sample.EVENTS[1], headers=headers)
    assert_problem(r, 400, "http.idempotency-key")


# --- schemas ------------------------------------------------------------------------------------


def test_schema_endpoints_validate_what_the_service_accepts(service: Service) -> None:
    """GET /schemas/{name} serves the library's shipped schemas byte for byte; the facts
    and losses the service accepts validate against them, and a document the schema
    refuses, the service refuses."""
    from rtaprotocol.schemas import schema_names, schema_text

    c = service.client
    for name in schema_names():
        r = c.get(f"/schemas/{name}")
        assert r.status_code == 200
        assert r.text == schema_text(name)
        assert r.headers["content-type"].startswith("application/schema+json")
    facts = c.get("/schemas/claim-facts").json()
    losses = c.get("/schemas/list-of-losses").json()
    jsonschema.validate(sample.FACTS, facts)
    jsonschema.validate(sample.LOSSES, losses)
    bad_losses = {"items": [{"type": "property-excess", "amount": "25.5.0"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad_losses, losses)
    r = c.post("/claims", json={**sample.SUBMISSION, "losses": bad_losses})
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM


# --- hostile documents --------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "code"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_json_is_refused(service: Service, body: bytes, code: str) -> None:
    """The library's hostile documents (tests/test_json.py: deep nesting, huge numbers,
    duplicate keys, NaN, bad UTF-8...), sent over HTTP as a claim and as an event, meet
    rtaprotocol.json.loads' refusals: 400 with its code, nothing stored."""
    headers = {"content-type": "application/json"}
    assert_problem(service.client.post("/claims", content=body, headers=headers), 400, code)
    claim_id = submit(service.client)
    headers["If-Match"] = '"1"'
    r = service.client.post(f"/claims/{claim_id}/events", content=body, headers=headers)
    assert_problem(r, 400, code)
    assert len(stored_events(service.db, claim_id)) == 1


@pytest.mark.parametrize(
    "event",
    [
        {"kind": "voluntary-interim-payment", "on": "2023-05-12", "amount": 1e25},
        {"kind": "voluntary-interim-payment", "on": "2023-05-12", "amount": True},
        {"kind": "voluntary-interim-payment", "on": "2023-05-12", "amount": "-5"},
        {"kind": "voluntary-interim-payment", "on": "\t2023-05-12 ", "amount": "5"},
        {"kind": "voluntary-interim-payment", "on": ["2023-05-12"], "amount": {}},
        {"kind": "liability-response", "on": "2023-05-12", "response": "admit-full", "x": 1},
        {"kind": 7, "on": None},
    ],
)
def test_wrong_types_are_refused_with_their_pointer(
    service: Service, event: dict[str, Any]
) -> None:
    """Wrong types, signs, padding, huge amounts and unknown fields in an event are refused
    with 422 and each problem's pointer; nothing is stored."""
    c = service.client
    claim_id = submit(c)
    doc = assert_problem(append(c, claim_id, event, 1), 422)
    assert all(p["pointer"] for p in doc["problems"])
    assert len(stored_events(service.db, claim_id)) == 1


# --- concurrency ----------------------------------------------------------------------------------


def test_twenty_writers_one_winner_per_version(service: Service) -> None:
    """20 clients append to one claim at once with the same If-Match, round after round:
    exactly one wins each version, the others get 409 with the current version; the
    stream has no gaps or duplicates, and its replay equals what the service reports."""
    claim_id = submit(service.client)
    assert append(service.client, claim_id, sample.EVENTS[0], 1).status_code == 201
    rounds, writers = 5, 20
    barrier = threading.Barrier(writers)
    results: list[list[tuple[int, Any]]] = [[] for _ in range(rounds)]
    lock = threading.Lock()

    def writer(n: int) -> None:
        with httpx.Client(base_url=service.url, timeout=20) as c:
            for round_ in range(rounds):
                version = 2 + round_
                event = {
                    "kind": "voluntary-interim-payment",
                    "on": "2023-05-12",
                    "amount": f"{n + 1}.00",
                }
                barrier.wait(timeout=20)
                r = append(c, claim_id, event, version)
                with lock:
                    results[round_].append((r.status_code, rjson.loads(r.content)))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for round_, answers in enumerate(results):
        assert len(answers) == writers
        wins = [a for s, a in answers if s == 201]
        assert len(wins) == 1
        assert wins[0]["version"] == 3 + round_
        losses = [a for s, a in answers if s != 201]
        assert all(a["status"] == 409 and a["current_version"] == 3 + round_ for a in losses)
    stored = stored_events(service.db, claim_id)
    assert [v for v, _ in stored] == list(range(1, 3 + rounds))
    replayed = Claim.replay([rjson.loads(e) for _, e in stored])
    report = service.client.get(f"/claims/{claim_id}").json()
    assert report.pop("version") == replayed.version == 2 + rounds
    report.pop("claim_id")
    assert report == rjson.loads(rjson.dumps(replayed.report(replayed.history[-1].on).to_dict()))


# --- crash ------------------------------------------------------------------------------------------


def test_sigkill_while_writing_loses_no_acknowledged_event(tmp_path: Path) -> None:
    """SIGKILL the service while clients write; restart it on the same file: every event
    whose request got a 2xx is stored at its version with its content, none is half
    written (versions run 1..n), and every claim replays and is served."""
    db = tmp_path / "crash.db"
    first = Service(db)
    claims = [submit(first.client) for _ in range(4)]
    acked: dict[str, dict[int, dict[str, Any]]] = {c: {} for c in claims}
    stop = threading.Event()

    def writer(claim_id: str) -> None:
        version = 1
        with httpx.Client(base_url=first.url, timeout=5) as c:
            while not stop.is_set():
                event = {"kind": "voluntary-interim-payment", "on": "2023-05-12", "amount": "1.00"}
                try:
                    r = append(c, claim_id, event, version)
                except httpx.TransportError:
                    return
                if r.status_code != 201:
                    return
                version = r.json()["version"]
                acked[claim_id][version] = event

    threads = [threading.Thread(target=writer, args=(c,)) for c in claims]
    for t in threads:
        t.start()
    time.sleep(1.5)
    first.stop(signal.SIGKILL)
    stop.set()
    for t in threads:
        t.join(timeout=20)
    assert sum(len(a) for a in acked.values()) > 4  # the clients were writing when killed
    second = Service(db)
    try:
        for claim_id in claims:
            stored = stored_events(db, claim_id)
            assert [v for v, _ in stored] == list(range(1, len(stored) + 1))
            by_version = dict(stored)
            for version, event in acked[claim_id].items():
                assert rjson.loads(by_version[version]) == rjson.loads(rjson.dumps(event))
            replayed = Claim.replay([rjson.loads(e) for _, e in stored])
            got = second.client.get(f"/claims/{claim_id}")
            assert got.status_code == 200
            assert got.json()["version"] == replayed.version
    finally:
        second.stop()


def test_a_long_claim_is_read_back_after_a_restart(tmp_path: Path) -> None:
    """A claim of 60 events (past the store's snapshot interval) is answered the same by a
    fresh process with an empty cache: restored from the library's snapshot where the
    library has one (Claim.snapshot), else replayed; either way equal to the replay of
    its stored events."""
    db = tmp_path / "long.db"
    first = Service(db)
    try:
        claim_id = submit(first.client)
        event = {"kind": "voluntary-interim-payment", "on": "2023-05-12", "amount": "1.00"}
        for version in range(1, 60):
            assert append(first.client, claim_id, event, version).status_code == 201
        before = first.client.get(f"/claims/{claim_id}").json()
    finally:
        first.stop()
    second = Service(db)
    try:
        after = second.client.get(f"/claims/{claim_id}").json()
    finally:
        second.stop()
    assert after == before
    assert after["version"] == 60
    replayed = Claim.replay([rjson.loads(e) for _, e in stored_events(db, claim_id)])
    expected = rjson.loads(rjson.dumps(replayed.report(replayed.history[-1].on).to_dict()))
    assert {k: v for k, v in after.items() if k not in ("claim_id", "version")} == expected

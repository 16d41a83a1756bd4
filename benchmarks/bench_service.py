"""Service benchmark: the reference claims service under load (issue 27). Not a test.

Seeds a fresh SQLite store (WAL, synchronous=FULL) with 10,000 live claims of realistic
length (2 to 10 events each, every stage from submitted to paid, built by the library
and written in one transaction), starts ``uvicorn app:app`` on 127.0.0.1 with 1 and then
2 worker processes, and drives it over 8 keep-alive HTTP/1.1 connections with ``wrk`` (one
thread, a Lua script per scenario: the load generator is C and costs little of the 2
cores) when it is installed (``apt-get install wrk``), else from a minimal asyncio client
in this process:

- report: ``GET /claims/{id}`` for random claims (JSON report on the last event's date);
- 304: the same with ``If-None-Match`` of the claim's version (a client revalidating the
  report it holds: the claim is read, no report is built);
- append: ``POST /claims/{id}/events`` (a voluntary interim payment of £1.00 with
  ``If-Match``), each to a random claim still at the offer stage or before, each committed
  with a full fsync;
- ``GET /overdue?on=2024-01-01&limit=1000``, paging through every claim's overdue deadlines.

Prints requests/s, p50 and p99 for each, and the library's share: the time the same
library calls take in this process (append: ``Claim.apply``, the open deadlines and the
report written to the read model; report: none when it is read from the read model, else
``Claim.report(on).to_dict()`` + ``rtaprotocol.json.dumps``) over the measured mean
request time. Targets (issue 27, on 2 cores, over 2 workers): report >= 1,000/s,
append >= 300/s, p99 <= 50 ms. Exit status 0 always: the figures are for the README.

Run: ``.venv/bin/python benchmarks/bench_service.py`` (``--claims N --requests N``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "examples" / "portal_service"
sys.path[:0] = [str(ROOT / "src"), str(APP)]

import sample  # noqa: E402
from store import Store  # noqa: E402

from rtaprotocol import json as rjson  # noqa: E402
from rtaprotocol.claim import Claim  # noqa: E402

INTERIM = {"kind": "voluntary-interim-payment", "on": "2023-06-19", "amount": "1.00"}
APPENDABLE = 7  # claims with at most this many events (up to offer-requested) take an interim


def seed(db: Path, claims: int) -> dict[str, int]:
    """Write ``claims`` claims, each a prefix of the sample path; return id -> version."""
    store = Store(f"sqlite:///{db}")
    path = [{"kind": "submitted", **sample.SUBMISSION}, *sample.EVENTS]
    built = [Claim()]
    for event in path:
        built.append(built[-1].apply(event))
    versions: dict[str, int] = {}
    rng = random.Random(27)
    # The read model as a running service has it: every claim's report, built by a read.
    reports = [c.report(c.history[-1].on).to_dict() if c.history else {} for c in built]
    with store.transaction() as run:
        for _ in range(claims):
            n = rng.randint(2, len(path))
            claim = built[n]
            claim_id = uuid.uuid4().hex
            run("INSERT INTO claims VALUES (?, ?, ?)", (claim_id, "2023-05-02", None))
            store._append(run, claim_id, claim)  # bulk seeding, one transaction
            body = rjson.dumps({"claim_id": claim_id, "version": claim.version, **reports[n]})
            run(*store.report_row(claim_id, claim.version, body))
            versions[claim_id] = claim.version
    return versions


async def _request(reader, writer, method: str, path: str, body: bytes, headers: str) -> int:
    head = f"{method} {path} HTTP/1.1\r\nHost: x\r\n{headers}Content-Length: {len(body)}\r\n\r\n"
    writer.write(head.encode() + body)
    status_line = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    return int(status_line.split()[1])


async def load(
    port: int, jobs: list[tuple[str, str, bytes, str]], connections: int, expect: int = 0
) -> list[float]:
    """Send ``jobs`` over ``connections`` keep-alive connections; return each latency (s)."""
    queue = list(reversed(jobs))
    latencies: list[float] = []
    failures = 0

    async def worker() -> None:
        nonlocal failures
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while queue:
            method, path, body, headers = queue.pop()
            start = time.perf_counter()
            status = await _request(reader, writer, method, path, body, headers)
            latencies.append(time.perf_counter() - start)
            failures += status >= 300 and status != expect
        writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    if failures:
        print(f"  !! {failures} requests failed")
    return latencies


WRK_SCRIPT = """
local jobs, n = {}, 0
for line in io.lines("%s") do
  local method, path, extra = line:match("^(%%S+) (%%S+) ?(.*)$")
  n = n + 1
  jobs[n] = {method, path, extra}
end
local i, body, version = 0, "%s", {}
request = function()
  i = i %% n + 1
  local job = jobs[i]
  if job[1] == "GET" then
    local headers = {}
    if job[3] ~= "" then headers["If-None-Match"] = job[3] end
    return wrk.format("GET", job[2], headers)
  end
  local v = (version[i] or tonumber(job[3]))
  version[i] = v + 1
  return wrk.format("POST", job[2], {["Content-Type"] = "application/json",
    ["If-Match"] = '"' .. v .. '"'}, body)
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local seen = thread:get("statuses")
    if seen then
      for status, count in pairs(seen) do io.write("STATUS " .. status .. " " .. count .. "\\n") end
    end
  end
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status, summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
"""


WRK_STATUSES = """
statuses = {}
response = function(status, headers, body)
  if status ~= 201 then statuses[status] = (statuses[status] or 0) + 1 end
end
"""


def wrk(
    port: int, jobs: list[str], seconds: int, connections: int, body: bytes = b""
) -> tuple[float, float, float, float]:
    """Run wrk over ``jobs`` (``METHOD PATH EXTRA`` lines, taken in turn, in a loop).

    Returns (requests/s, p50 s, p99 s, wall s). A POST job's EXTRA is the claim's
    version; each turn of the loop appends at the next version.
    """
    with tempfile.TemporaryDirectory() as tmp:
        lines, script = Path(tmp) / "jobs.txt", Path(tmp) / "jobs.lua"
        lines.write_text("\n".join(jobs) + "\n")
        text = WRK_SCRIPT % (lines, body.decode().replace('"', '\\"'))
        if body:  # appends: count the answers by status (GETs are left without the callback)
            text += WRK_STATUSES
        script.write_text(text)
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
             "-s", str(script), f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    for line in out.splitlines():
        if line.startswith("STATUS"):
            print(f"  (status {line.split()[1]}: {line.split()[2]} responses)")
    result = next(line for line in out.splitlines() if line.startswith("RESULT"))
    count, micros, p50, p99, bad, errors = (int(x) for x in result.split()[1:])
    if bad or errors:
        print(f"  !! {bad} responses >= 400, {errors} socket errors")
    return count / (micros / 1e6), p50 / 1e6, p99 / 1e6, micros / 1e6


def serve(db: Path, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PORTAL_DATABASE_URL=f"sqlite:///{db}")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app:app", "--app-dir", str(APP), "--port", str(port),
         "--host", "127.0.0.1", "--workers", str(workers), "--no-access-log",
         "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    time.sleep(1.0 + workers)  # every worker up
    return process, port


def figures(name: str, rate: float, p50: float, p99: float, library: float, workers: int) -> None:
    """Print throughput, latency and the library's share of each request's service time
    (a worker's wall time per request it served, ``workers / rate``)."""
    service = workers / rate
    print(
        f"  {name:7} {rate:7.0f} req/s  p50 {p50 * 1e3:6.1f} ms  p99 {p99 * 1e3:6.1f} ms  "
        f"library {library * 1e3:5.2f} ms of {service * 1e3:5.2f} ms "
        f"service time per request ({min(library / service, 1):4.0%})"
    )


def report_figures(
    name: str, latencies: list[float], wall: float, library: float, workers: int
) -> None:
    """Print throughput, latency and the library's share of each request's service time.

    The service time of a request is a worker's wall time per request it served
    (``wall * workers / requests``), queueing excluded; the library's share is the
    library's own time for the same work, measured in this process, over that.
    """
    q = statistics.quantiles(latencies, n=100)
    service = wall * workers / len(latencies)
    print(
        f"  {name:7} {len(latencies) / wall:7.0f} req/s  p50 {q[49] * 1e3:6.1f} ms  "
        f"p99 {q[98] * 1e3:6.1f} ms  library {library * 1e3:5.2f} ms of {service * 1e3:5.2f} ms "
        f"service time per request ({min(library / service, 1):4.0%})"
    )


def library_times(db: Path, versions: dict[str, int]) -> tuple[float, float]:
    """Mean library time per append and per report, measured in this process.

    Each includes what the service asks of the library for a claim not yet in its
    worker's cache: reading the stored events (``rtaprotocol.json.loads``) and replaying
    them, then the append (``Claim.apply`` with ``expected_version``, the event's and the
    open deadlines' JSON) or the report (``Claim.report(on).to_dict()`` and ``dumps``).
    """
    store = Store(f"sqlite:///{db}")
    ids = list(versions)[:300]
    stored = [
        [text for (text,) in store.query("SELECT event FROM events WHERE claim_id = ?", (i,))]
        for i in ids
    ]

    def replay(texts: list[str]) -> Claim:
        return Claim.replay([rjson.loads(t) for t in texts])

    def reports() -> None:
        for texts in stored:
            c = replay(texts)
            rjson.dumps(c.report(c.history[-1].on).to_dict())

    open_claims = [t for t in stored if len(t) <= APPENDABLE]

    def appends() -> None:
        for texts in open_claims:
            c = replay(texts)
            after = c.apply(INTERIM, expected_version=c.version)
            rjson.dumps(after.history[-1].to_dict())
            [rjson.dumps(d.to_dict()) for d in after.deadlines() if d.met_on is None]

    def best(work: Callable[[], None], count: int) -> float:
        times = []
        for _ in range(3):  # the first run warms the calendar and the lazy imports
            start = time.perf_counter()
            work()
            times.append((time.perf_counter() - start) / count)
        return min(times)

    report = best(reports, len(stored))
    append = best(appends, len(open_claims))
    return append, report


def first_reads(port: int, ids: list[str]) -> None:
    """Read each appended claim once (an append removes its stored report; the first read
    builds it again): one connection, one request at a time; print the mean latency."""
    start = time.perf_counter()
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        for claim_id in ids:
            client.get(f"/claims/{claim_id}").raise_for_status()
    mean = (time.perf_counter() - start) / max(len(ids), 1)
    print(f"  first read after an append: {len(ids)} claims, {mean * 1e3:.1f} ms each")


def stored_versions(db: Path) -> dict[str, int]:
    """Return each claim's stored version (after a timed run of appends)."""
    store = Store(f"sqlite:///{db}")
    rows = store.query("SELECT claim_id, max(version) FROM events GROUP BY claim_id")
    return {str(c): int(v) for c, v in rows}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=4_000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10, help="each wrk run")
    parser.add_argument("--no-wrk", action="store_true", help="the asyncio client")
    args = parser.parse_args()
    print(
        f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True, check=False).stdout.strip()}"
    )
    print(f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        start = time.perf_counter()
        versions = seed(db, args.claims)
        events = sum(versions.values())
        print(
            f"seeded {len(versions)} claims, {events} events in {time.perf_counter() - start:.1f} s"
        )
        lib_append, lib_report = library_times(db, versions)
        rng = random.Random(1)
        use_wrk = shutil.which("wrk") is not None and not args.no_wrk
        print(f"load generator: {'wrk, 1 thread' if use_wrk else 'asyncio client'}")
        for workers in (1, 2):
            process, port = serve(db, workers)
            try:
                print(f"uvicorn, {workers} worker{'s' if workers > 1 else ''}:")
                ids = list(versions)
                if use_wrk:
                    on = "/claims/{}?on=2024-01-02"
                    for name, jobs in (
                        ("report", [f"GET /claims/{rng.choice(ids)}" for _ in range(20_000)]),
                        ("304", [f'GET /claims/{i} "{versions[i]}"' for i in ids]),
                        ("?on=", [f"GET {on.format(rng.choice(ids))}" for _ in range(20_000)]),
                    ):
                        rate, p50, p99, _ = wrk(port, jobs, args.seconds, args.connections)
                        share = lib_report if name == "?on=" else 0.0
                        figures(name, rate, p50, p99, share, workers)
                    open_ids = [i for i, v in versions.items() if v <= APPENDABLE]
                    rng.shuffle(open_ids)
                    jobs = [f"POST /claims/{i}/events {versions[i]}" for i in open_ids]
                    body = rjson.dumps(INTERIM).encode()
                    rate, p50, p99, _ = wrk(port, jobs, args.seconds, args.connections, body)
                    figures("append", rate, p50, p99, lib_append, workers)
                    now = stored_versions(db)
                    moved = [i for i in open_ids if now[i] != versions[i]]
                    versions.update(now)
                    first_reads(port, moved)
                else:
                    reports = [
                        ("GET", f"/claims/{rng.choice(ids)}", b"", "") for _ in range(args.requests)
                    ]
                    start = time.perf_counter()
                    lat = asyncio.run(load(port, reports, args.connections))
                    report_figures("report", lat, time.perf_counter() - start, 0.0, workers)
                    revalidations = [
                        ("GET", f"/claims/{i}", b"", f'If-None-Match: "{versions[i]}"\r\n')
                        for i in (rng.choice(ids) for _ in range(args.requests))
                    ]
                    start = time.perf_counter()
                    lat = asyncio.run(load(port, revalidations, args.connections, expect=304))
                    report_figures("304", lat, time.perf_counter() - start, 0.0, workers)
                    open_ids = [i for i, v in versions.items() if v <= APPENDABLE]
                    chosen = rng.sample(open_ids, min(len(open_ids), args.requests // 2))
                    body = rjson.dumps(INTERIM).encode()
                    appends = []
                    for i in chosen:
                        headers = f'Content-Type: application/json\r\nIf-Match: "{versions[i]}"\r\n'
                        appends.append(("POST", f"/claims/{i}/events", body, headers))
                        versions[i] += 1
                    start = time.perf_counter()
                    lat = asyncio.run(load(port, appends, args.connections))
                    report_figures("append", lat, time.perf_counter() - start, lib_append, workers)
                pages = 0
                start = time.perf_counter()
                path: str | None = "/overdue?on=2024-01-01&limit=1000"
                with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                    items = 0
                    while path is not None:
                        page = client.get(path).json()
                        items += len(page["items"])
                        path, pages = page["next"], pages + 1
                print(
                    f"  overdue: {items} overdue deadlines across {len(versions)} claims, "
                    f"{pages} pages of 1,000 in {(time.perf_counter() - start) * 1e3:.0f} ms"
                )
                with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                    start = time.perf_counter()
                    client.get("/overdue?on=2024-01-01&limit=100")
                    print(
                        f"  overdue: first page of 100 in {(time.perf_counter() - start) * 1e3:.1f} ms"
                    )
            finally:
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
